import bisect

import numpy as np


def temperature_softmax(o, temperature):
    m = np.max(o, axis=-1, keepdims=True)
    if temperature == 0.0:
        ties = (o == m) * 1.0
        return ties / np.sum(ties, axis=-1, keepdims=True)
    # shift by the maximum before dividing by tau: the same distribution
    w = np.exp((o - m) / temperature)
    return w / np.sum(w, axis=-1, keepdims=True)


def sample_index(p, upsilon):
    draws = []
    for row, u in zip(p, upsilon):
        cdf = np.cumsum(row)
        cdf = cdf / cdf[-1]
        draws.append(bisect.bisect_right(cdf.tolist(), float(u)))
    return np.array(draws, dtype=np.int64)


def sample_sequence(step, state, x, upsilon, temperature):
    ids = []
    for u in upsilon.T:
        o, state = step(x, state)
        x = sample_index(temperature_softmax(o, temperature), u)
        ids.append(x)
    return np.column_stack(ids).astype(np.int64)
