import numpy as np


def _masked_softmax(scores, keep):
    scores = np.where(keep, scores, -np.inf)
    peak = np.max(scores, axis=-1, keepdims=True)
    e = np.exp(scores - peak)
    return e / np.sum(e, axis=-1, keepdims=True)


def dot_product_attention(queries, keys, values, scaled=False, mask=None):
    one_step = queries.ndim == 2
    q = np.expand_dims(queries, 1) if one_step else queries
    scores = np.matmul(q, keys.transpose(0, 2, 1))
    if scaled:
        scores = scores / np.sqrt(q.shape[2])
    if mask is None:
        keep = np.ones(scores.shape, dtype=bool)
    else:
        keep = np.broadcast_to(mask[:, None, :], scores.shape)
    alpha = _masked_softmax(scores, keep)
    Ms = np.matmul(alpha, values)
    if one_step:
        return Ms[:, 0, :], alpha[:, 0, :]
    return Ms, alpha
