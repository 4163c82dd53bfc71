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
