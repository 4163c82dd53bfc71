import numpy as np


def attend(Q, K, V, scale, mask):
    E = scale * np.einsum("bik,bjk->bij", Q, K)
    if mask is not None:
        E = E + np.where(mask, 0.0, -np.inf)[:, None, :]
    E = E - E.max(axis=-1)[..., None]
    P = np.exp(E)
    P = P / P.sum(axis=-1)[..., None]
    return P


def projected_attention_backward(dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, scaled=False, mask=None):
    """Backward through q = W_q h_dec, k = U_k h_enc, v = U_v h_enc and the attention on top."""
    Q, K, V = Hs_dec @ W_q.T, Hs_enc @ U_k.T, Hs_enc @ U_v.T
    scale = 1.0
    if scaled:
        scale = 1.0 / np.sqrt(K.shape[2])
    P = attend(Q, K, V, scale, mask)
    # context = P V: the gradient on P pairs dMs with the values, the gradient on V the weights with dMs
    gP = np.einsum("bid,bjd->bij", dMs, V)
    gV = np.einsum("bij,bid->bjd", P, dMs)
    inner = np.einsum("bij,bij->bi", P, gP)
    gE = P * (gP - inner[..., None])
    gQ = scale * np.einsum("bij,bjk->bik", gE, K)
    gK = scale * np.einsum("bij,bik->bjk", gE, Q)
    dHs_enc = gK @ U_k
    dHs_enc += gV @ U_v
    return (np.tensordot(gQ, Hs_dec, axes=([0, 1], [0, 1])), np.tensordot(gK, Hs_enc, axes=([0, 1], [0, 1])),
            np.tensordot(gV, Hs_enc, axes=([0, 1], [0, 1])), gQ @ W_q, dHs_enc)
