import numpy as np


def logsumexp(a, axis=-1, keepdims=False):
    top = np.max(a, axis=axis, keepdims=True)
    out = top + np.log(np.sum(np.exp(a - top), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def temperature_softmax(o, temperature):
    if temperature > 0:
        scaled = o / temperature
        return np.exp(scaled - logsumexp(scaled, keepdims=True))
    # the limit tau -> 0: uniform over the arg max (ties share)
    is_top = o == np.max(o, axis=-1, keepdims=True)
    count = is_top.sum(axis=-1, keepdims=True)
    return np.where(is_top, 1.0 / count, 0.0)


def sample_index(p, upsilon):
    N = p.shape[0]
    k = np.empty(N, dtype=np.int64)
    for n in range(N):
        F = np.cumsum(p[n])
        F /= F[-1]
        k[n] = np.searchsorted(F, upsilon[n], side="right")
    return k


def sample_sequence(step, state, x, upsilon, temperature):
    draws = []
    current = x
    for t in range(upsilon.shape[1]):
        logits, state = step(current, state)
        current = sample_index(temperature_softmax(logits, temperature), upsilon[:, t])
        draws.append(current)
    return np.stack(draws, axis=1).astype(np.int64)
