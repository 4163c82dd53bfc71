import numpy as np


def attention_weights(E, mask=None):
    if mask is not None:
        keep = mask if E.ndim == 2 else mask[:, None, :]
        E = np.where(keep, E, -np.inf)
    E = E - E.max(axis=-1, keepdims=True)
    e = np.exp(E)
    return e / e.sum(axis=-1, keepdims=True)
