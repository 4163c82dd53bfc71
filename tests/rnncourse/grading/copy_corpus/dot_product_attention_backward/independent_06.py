import numpy as np


def dot_product_attention_backward(dMs, queries, keys, values, scaled=False, mask=None):
    lone = queries.ndim == 2
    if lone:
        queries, dMs = queries[:, np.newaxis], dMs[:, np.newaxis]
    N, T_y, H = queries.shape
    r = H ** -0.5 if scaled else 1.0
    E = r * (queries[:, :, np.newaxis, :] * keys[:, np.newaxis, :, :]).sum(axis=3)
    ok = np.ones((N, keys.shape[1]), dtype=bool) if mask is None else mask
    E = np.where(ok[:, np.newaxis, :], E, -np.inf)
    P = np.exp(E - E.max(axis=2)[:, :, np.newaxis])
    P = P / P.sum(axis=2)[:, :, np.newaxis]
    # dL/dP[n, t, j] = <dMs[n, t], v_j>
    dP = (dMs[:, :, np.newaxis, :] * values[:, np.newaxis, :, :]).sum(axis=3)
    dV = (P[:, :, :, np.newaxis] * dMs[:, :, np.newaxis, :]).sum(axis=1)
    centre = (P * dP).sum(axis=2)[:, :, np.newaxis]
    dE = r * P * (dP - centre)
    dQ = (dE[:, :, :, np.newaxis] * keys[:, np.newaxis, :, :]).sum(axis=2)
    dK = (dE[:, :, :, np.newaxis] * queries[:, :, np.newaxis, :]).sum(axis=1)
    if lone:
        dQ = dQ[:, 0]
    return dQ, dK, dV
