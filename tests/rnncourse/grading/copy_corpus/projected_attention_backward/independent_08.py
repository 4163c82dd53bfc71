import numpy as np


def projected_attention_backward(dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, scaled=False, mask=None):
    N, T_y, _ = Hs_dec.shape
    T_x = Hs_enc.shape[1]
    scale = 1.0 / np.sqrt(W_q.shape[0]) if scaled else 1.0
    queries = Hs_dec @ W_q.T
    keys = Hs_enc @ U_k.T
    values = Hs_enc @ U_v.T
    keep = np.ones((N, T_x), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    scores = scale * np.einsum("nta,nja->ntj", queries, keys)
    top = np.max(np.where(keep[:, None, :], scores, -np.inf), axis=2, keepdims=True)
    ex = np.where(keep[:, None, :], np.exp(np.minimum(scores - top, 0.0)), 0.0)
    weights = ex / ex.sum(axis=2, keepdims=True)
    # stage 3 (context), stage 2 (softmax), stage 1 (scores), then the projections
    grad_w = np.einsum("ntv,njv->ntj", dMs, values)
    grad_values = np.einsum("ntj,ntv->njv", weights, dMs)
    grad_scores = weights * (grad_w - np.einsum("ntj,ntj->nt", weights, grad_w)[:, :, None])
    grad_queries = scale * np.einsum("ntj,nja->nta", grad_scores, keys)
    grad_keys = scale * np.einsum("ntj,nta->nja", grad_scores, queries)
    dW_q = np.einsum("nta,nth->ah", grad_queries, Hs_dec)
    dU_k = np.einsum("nja,nje->ae", grad_keys, Hs_enc)
    dU_v = np.einsum("njv,nje->ve", grad_values, Hs_enc)
    dHs_dec = np.einsum("nta,ah->nth", grad_queries, W_q)
    dHs_enc = np.einsum("nja,ae->nje", grad_keys, U_k) + np.einsum("njv,ve->nje", grad_values, U_v)
    return dW_q, dU_k, dU_v, dHs_dec, dHs_enc
