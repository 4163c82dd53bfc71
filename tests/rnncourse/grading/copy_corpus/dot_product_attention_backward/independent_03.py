import numpy as np


def _forward(Q, K, scale, mask):
    scores = np.matmul(Q, K.transpose(0, 2, 1)) * scale
    if mask is not None:
        scores = np.where(mask[:, None, :], scores, -np.inf)
    scores = scores - scores.max(axis=2, keepdims=True)
    p = np.exp(scores)
    return p / p.sum(axis=2, keepdims=True)


def dot_product_attention_backward(dMs, queries, keys, values, scaled=False, mask=None):
    one = queries.ndim == 2
    Q = queries[:, None, :] if one else queries
    G = dMs[:, None, :] if one else dMs
    scale = Q.shape[2] ** -0.5 if scaled else 1.0
    P = _forward(Q, keys, scale, mask)
    dP = np.matmul(G, values.transpose(0, 2, 1))
    dV = np.matmul(P.transpose(0, 2, 1), G)
    dS = P * dP - P * np.sum(P * dP, axis=2, keepdims=True)
    dQ = np.matmul(dS, keys) * scale
    dK = np.matmul(dS.transpose(0, 2, 1), Q) * scale
    if one:
        dQ = dQ[:, 0, :]
    return dQ, dK, dV
