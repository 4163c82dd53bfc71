import numpy as np


def temperature_softmax(o, temperature):
    o = np.asarray(o, dtype=float)
    if temperature == 0:
        best = o.max(axis=-1, keepdims=True)
        hits = np.equal(o, best)
        return hits / np.count_nonzero(hits, axis=-1)[..., None]
    log_norm = np.logaddexp.reduce(o / temperature, axis=-1, keepdims=True)
    return np.exp(o / temperature - log_norm)


def sample_index(p, upsilon):
    F = p.cumsum(axis=1)
    F /= F[:, [-1]]
    # the first class whose cumulative probability exceeds upsilon
    return np.argmax(F > upsilon[:, None], axis=1).astype(np.int64)


def sample_sequence(step, state, x, upsilon, temperature):
    out = np.empty(upsilon.shape, dtype=np.int64)
    for t, u in enumerate(upsilon.T):
        o, state = step(x, state)
        x = sample_index(temperature_softmax(o, temperature), u)
        out[:, t] = x
    return out
