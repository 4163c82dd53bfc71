import numpy as np


def dot_product_attention_backward(dMs, queries, keys, values, scaled=False, mask=None):
    single = queries.ndim == 2
    q = queries[:, None] if single else queries
    g = dMs[:, None] if single else dMs
    k_scale = np.sqrt(keys.shape[2]) if scaled else 1.0
    logits = np.einsum("nth,njh->ntj", q, keys) / k_scale
    if mask is not None:
        logits[np.broadcast_to(~mask[:, None, :], logits.shape)] = -np.inf
    alpha = np.exp(logits - logits.max(axis=2, keepdims=True))
    alpha /= alpha.sum(axis=2, keepdims=True)
    dvalues = np.einsum("ntj,ntv->njv", alpha, g)
    dalpha = np.einsum("ntv,njv->ntj", g, values)
    weighted = np.einsum("ntj,ntj->nt", alpha, dalpha)
    dlogits = alpha * (dalpha - weighted[:, :, None]) / k_scale
    dq = np.einsum("ntj,njh->nth", dlogits, keys)
    dk = np.einsum("ntj,nth->njh", dlogits, q)
    return (dq[:, 0] if single else dq), dk, dvalues
