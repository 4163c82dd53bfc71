import numpy as np


def temperature_softmax(o, temperature):
    if temperature == 0:
        top = (o == o.max(axis=-1, keepdims=True)).astype(float)
        return top / top.sum(axis=-1, keepdims=True)
    z = o / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def sample_index(p, upsilon):
    F = np.cumsum(p, axis=1)
    F = F / F[:, -1:]
    return np.sum(F <= upsilon[:, None], axis=1).astype(np.int64)


def sample_sequence(step, state, x, upsilon, temperature):
    N, n = upsilon.shape
    ids = np.zeros((N, n), dtype=np.int64)
    for t in range(n):
        o, state = step(x, state)
        p = temperature_softmax(o, temperature)
        x = sample_index(p, upsilon[:, t])
        ids[:, t] = x
    return ids
