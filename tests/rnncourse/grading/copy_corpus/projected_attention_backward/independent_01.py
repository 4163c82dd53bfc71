import numpy as np


def projected_attention_backward(dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, scaled=False, mask=None):
    Q = np.einsum("ah,nth->nta", W_q, Hs_dec)
    K = np.einsum("ae,nje->nja", U_k, Hs_enc)
    V = np.einsum("ve,nje->njv", U_v, Hs_enc)
    c = 1.0 / np.sqrt(Q.shape[-1]) if scaled else 1.0
    S = np.einsum("nta,nja->ntj", Q, K) * c
    if mask is not None:
        S = np.where(mask[:, None, :], S, -np.inf)
    A = np.exp(S - S.max(axis=-1, keepdims=True))
    A /= A.sum(axis=-1, keepdims=True)
    dA = np.einsum("ntv,njv->ntj", dMs, V)
    dV = np.einsum("ntj,ntv->njv", A, dMs)
    dS = A * (dA - (A * dA).sum(axis=-1, keepdims=True))
    dQ = c * np.einsum("ntj,nja->nta", dS, K)
    dK = c * np.einsum("ntj,nta->nja", dS, Q)
    return (np.einsum("nta,nth->ah", dQ, Hs_dec), np.einsum("nja,nje->ae", dK, Hs_enc),
            np.einsum("njv,nje->ve", dV, Hs_enc), np.einsum("nta,ah->nth", dQ, W_q),
            np.einsum("nja,ae->nje", dK, U_k) + np.einsum("njv,ve->nje", dV, U_v))
