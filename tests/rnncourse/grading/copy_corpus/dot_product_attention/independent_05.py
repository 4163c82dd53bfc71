import numpy as np


def scores_of(queries, keys, scaled):
    out = np.einsum("nqd,nkd->nqk", queries, keys)
    return out / np.sqrt(queries.shape[-1]) if scaled else out


def weights_of(scores, mask):
    if mask is None:
        shifted = scores - scores.max(-1)[..., None]
        ex = np.exp(shifted)
    else:
        big = np.where(mask[:, None, :], scores, scores.min() - 1.0).max(-1)[..., None]
        ex = np.exp(np.minimum(scores - big, 0.0)) * mask[:, None, :]
    return ex / ex.sum(-1)[..., None]


def dot_product_attention(queries, keys, values, scaled=False, mask=None):
    squeeze = queries.ndim == 2
    Q = queries.reshape(queries.shape[0], -1, queries.shape[-1])
    alpha = weights_of(scores_of(Q, keys, scaled), mask)
    context = np.einsum("nqk,nkv->nqv", alpha, values)
    if squeeze:
        return context[:, 0], alpha[:, 0]
    return context, alpha
