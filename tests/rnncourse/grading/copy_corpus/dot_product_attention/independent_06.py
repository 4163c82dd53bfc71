import numpy as np


def dot_product_attention(queries, keys, values, scaled=False, mask=None):
    single = len(queries.shape) == 2
    if single:
        queries = queries[:, np.newaxis]
    N, T_y, d = queries.shape
    T_x = keys.shape[1]
    # all pairs (t, j) at once: broadcast the queries against the keys and sum the products
    E = (queries[:, :, np.newaxis, :] * keys[:, np.newaxis, :, :]).sum(axis=3)
    if scaled:
        E = E * (1.0 / d ** 0.5)
    allowed = np.ones((N, T_x), dtype=bool) if mask is None else mask
    E = np.where(allowed[:, np.newaxis, :], E, -np.inf)
    expE = np.exp(E - np.max(E, axis=2)[:, :, np.newaxis])
    alpha = expE / np.sum(expE, axis=2)[:, :, np.newaxis]
    Ms = (alpha[:, :, :, np.newaxis] * values[:, np.newaxis, :, :]).sum(axis=2)
    if single:
        Ms = Ms[:, 0]
        alpha = alpha[:, 0]
    return Ms, alpha
