import numpy as np


def attention_weights(E, mask=None):
    shifted = E - np.max(E, axis=-1, keepdims=True)
    if mask is not None:
        m = mask if E.ndim == 2 else mask[:, np.newaxis, :]
        # the largest kept score becomes 0: shift again with the maximum over kept positions only
        shifted = np.where(m, E, -np.inf)
        shifted = shifted - shifted.max(axis=-1, keepdims=True)
    unnorm = np.exp(shifted)
    return unnorm / np.sum(unnorm, axis=-1, keepdims=True)
