import numpy as np


def weights(q, K, s, keep):
    e = s * (K @ q)
    e = np.where(keep, e, -np.inf)
    e = np.exp(e - e.max())
    return e / e.sum()


def dot_product_attention_backward(dMs, queries, keys, values, scaled=False, mask=None):
    N, T_x, H_a = keys.shape
    s = 1.0 / np.sqrt(H_a) if scaled else 1.0
    Q = queries.reshape(N, -1, H_a)
    G = dMs.reshape(N, Q.shape[1], -1)
    dQ = np.zeros_like(Q)
    dK = np.zeros(keys.shape)
    dV = np.zeros(values.shape)
    for n in range(N):
        keep = np.ones(T_x, dtype=bool) if mask is None else mask[n]
        for t in range(Q.shape[1]):
            a = weights(Q[n, t], keys[n], s, keep)
            da = values[n] @ G[n, t]
            de = s * (a * da - a * (a @ da))
            dQ[n, t] = keys[n].T @ de
            dK[n] += np.outer(de, Q[n, t])
            dV[n] += np.outer(a, G[n, t])
    return dQ.reshape(queries.shape), dK, dV
