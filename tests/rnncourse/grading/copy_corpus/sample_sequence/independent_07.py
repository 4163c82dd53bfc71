import numpy as np


def temperature_softmax(o, temperature):
    K = o.shape[-1]
    flat = o.reshape(-1, K)
    if temperature == 0:
        idx = flat.argmax(axis=1)
        best = flat[np.arange(flat.shape[0]), idx][:, None]
        winners = (flat == best).astype(float)
        p = winners / winners.sum(axis=1, keepdims=True)
    else:
        scaled = flat / temperature
        scaled -= scaled.max(axis=1)[:, None]
        p = np.exp(scaled)
        p /= p.sum(axis=1)[:, None]
    return p.reshape(o.shape)


def sample_index(p, upsilon):
    N = p.shape[0]
    F = np.cumsum(p, axis=1)
    F = F / F[:, -1][:, None]
    return np.array([np.digitize(upsilon[n], F[n]) for n in range(N)], dtype=np.int64)


def sample_sequence(step, state, x, upsilon, temperature):
    N, n = upsilon.shape
    result = np.zeros((N, n), dtype=np.int64)
    token = x
    for t in range(n):
        o, state = step(token, state)
        token = sample_index(temperature_softmax(o, temperature), upsilon[:, t])
        result[:, t] = token
    return result
