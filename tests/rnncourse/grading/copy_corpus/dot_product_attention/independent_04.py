import numpy as np


def dot_product_attention(queries, keys, values, scaled=False, mask=None):
    batch = []
    weights = []
    for n in range(queries.shape[0]):
        q = np.atleast_2d(queries[n])
        e = q @ keys[n].T
        if scaled:
            e /= np.sqrt(keys.shape[2])
        if mask is not None:
            e[:, ~mask[n]] = -np.inf
        e -= e.max(axis=1, keepdims=True)
        a = np.exp(e)
        a /= a.sum(axis=1, keepdims=True)
        batch.append(a @ values[n])
        weights.append(a)
    Ms, alpha = np.array(batch), np.array(weights)
    if queries.ndim == 2:
        Ms, alpha = Ms[:, 0], alpha[:, 0]
    return Ms, alpha
