import numpy as np


def dot_product_attention_backward(dMs, queries, keys, values, scaled=False, mask=None):
    c = 1.0 / np.sqrt(keys.shape[-1]) if scaled else 1.0
    q = queries if queries.ndim == 3 else queries[:, None]
    dm = dMs if dMs.ndim == 3 else dMs[:, None]
    E = np.einsum("nta,nja->ntj", q, keys) * c
    if mask is not None:
        E = np.where(mask[:, None, :], E, -np.inf)
    w = np.exp(E - E.max(axis=-1, keepdims=True))
    alpha = w / w.sum(axis=-1, keepdims=True)
    g_alpha = np.einsum("nth,njh->ntj", dm, values)
    g_values = np.einsum("ntj,nth->njh", alpha, dm)
    g_E = alpha * (g_alpha - (alpha * g_alpha).sum(axis=-1, keepdims=True))
    g_queries = np.einsum("ntj,nja->nta", g_E, keys) * c
    g_keys = np.einsum("ntj,nta->nja", g_E, q) * c
    return g_queries.reshape(queries.shape), g_keys, g_values
