import numpy as np


def attention_weights(E, mask=None):
    top = np.max(E if mask is None else np.where(mask.reshape(mask.shape[0], *([1] * (E.ndim - 2)), -1),
                                                  E, -np.inf), axis=-1, keepdims=True)
    w = np.exp(E - top)
    if mask is not None:
        w = w * (mask[:, None, :] if E.ndim == 3 else mask)
    return w / w.sum(axis=-1, keepdims=True)
