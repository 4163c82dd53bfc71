import numpy as np


def dot_product_attention(queries, keys, values, scaled=False, mask=None):
    E = np.einsum("n...a,nja->n...j", queries, keys)
    if scaled:
        E = E / np.sqrt(keys.shape[-1])
    if mask is not None:
        m = mask if E.ndim == 2 else mask[:, None, :]
        E = np.where(m, E, -np.inf)
    E = E - E.max(axis=-1, keepdims=True)
    w = np.exp(E)
    alpha = w / w.sum(axis=-1, keepdims=True)
    return np.einsum("n...j,njh->n...h", alpha, values), alpha
