import numpy as np


def dot_product_attention(queries, keys, values, scaled=False, mask=None):
    step = queries.ndim == 2
    q3 = queries[:, None] if step else queries
    N, T_y, H = q3.shape
    T_x = keys.shape[1]
    alpha = np.empty((N, T_y, T_x))
    for t in range(T_y):
        e = np.einsum("nh,njh->nj", q3[:, t], keys)
        if scaled:
            e = e / np.sqrt(H)
        if mask is not None:
            e = np.where(mask, e, -np.inf)
        e = e - e.max(axis=1, keepdims=True)
        p = np.exp(e)
        alpha[:, t] = p / p.sum(axis=1, keepdims=True)
    Ms = np.einsum("ntj,njv->ntv", alpha, values)
    return (Ms[:, 0], alpha[:, 0]) if step else (Ms, alpha)
