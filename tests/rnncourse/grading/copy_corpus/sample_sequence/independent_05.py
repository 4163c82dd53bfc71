import numpy as np


def _softmax_row(row, tau):
    if tau == 0:
        top = row == row.max()
        return top / top.sum()
    z = row / tau
    z = np.exp(z - z.max())
    return z / z.sum()


def temperature_softmax(o, temperature):
    return np.apply_along_axis(_softmax_row, -1, o, temperature).astype(float)


def sample_index(p, upsilon):
    # compare with upsilon scaled by the row sum instead of normalising the cumulative sums
    cumulative = np.cumsum(p, axis=1)
    threshold = upsilon * cumulative[:, -1]
    return (cumulative <= threshold[:, None]).sum(axis=1).astype(np.int64)


def sample_sequence(step, state, x, upsilon, temperature):
    N, n = upsilon.shape
    generated = []
    prev = x
    t = 0
    while t < n:
        o, state = step(prev, state)
        prev = sample_index(temperature_softmax(o, temperature), upsilon[:, t])
        generated.append(prev)
        t += 1
    return np.array(generated, dtype=np.int64).T.copy()
