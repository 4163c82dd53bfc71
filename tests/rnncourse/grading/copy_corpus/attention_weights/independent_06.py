import numpy as np


def attention_weights(E, mask=None):
    shape = E.shape
    flat = E.reshape(shape[0], -1, shape[-1]).copy()
    if mask is not None:
        flat[~np.broadcast_to(mask[:, None, :], flat.shape)] = -1e300
    flat -= flat.max(axis=2, keepdims=True)
    p = np.exp(flat)
    p /= p.sum(axis=2, keepdims=True)
    return p.reshape(shape)
