import numpy as np


def attend(Q, K, V, scaled, mask):
    E = np.einsum("ntd,njd->ntj", Q, K)
    if scaled:
        E = E / np.sqrt(Q.shape[-1])
    if mask is not None:
        E = E + np.log(mask.astype(float))[:, None, :]
    A = np.exp(E - E.max(-1, keepdims=True))
    A /= A.sum(-1, keepdims=True)
    return A


def softmax_vjp(A, dA):
    return A * dA - A * np.einsum("ntj,ntj->nt", A, dA)[..., None]


def dot_product_attention_backward(dMs, queries, keys, values, scaled=False, mask=None):
    shape_q = queries.shape
    N, T_x, H_a = keys.shape
    Q = queries.reshape(N, -1, H_a)
    G = dMs.reshape(N, Q.shape[1], -1)
    with np.errstate(divide="ignore"):
        A = attend(Q, keys, values, scaled, mask)
    dE = softmax_vjp(A, np.einsum("nth,njh->ntj", G, values))
    if scaled:
        dE = dE / np.sqrt(H_a)
    dQ = np.einsum("ntj,njd->ntd", dE, keys).reshape(shape_q)
    dK = np.einsum("ntj,ntd->njd", dE, Q)
    dV = np.einsum("ntj,nth->njh", A, G)
    return dQ, dK, dV
