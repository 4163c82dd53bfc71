import numpy as np


def attention_weights(E, mask=None):
    alpha = np.zeros_like(E)
    flat_E = E.reshape(E.shape[0], -1, E.shape[-1])
    flat_a = alpha.reshape(flat_E.shape)
    for n in range(flat_E.shape[0]):
        keep = np.ones(E.shape[-1], dtype=bool) if mask is None else mask[n]
        for t in range(flat_E.shape[1]):
            scores = flat_E[n, t, keep]
            w = np.exp(scores - scores.max())
            flat_a[n, t, keep] = w / w.sum()
    return alpha
