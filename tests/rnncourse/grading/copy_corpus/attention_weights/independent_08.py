import numpy as np


def logsumexp(z, axis=-1):
    top = np.max(z, axis=axis, keepdims=True)
    return top + np.log(np.sum(np.exp(z - top), axis=axis, keepdims=True))


def attention_weights(E, mask=None):
    if mask is None:
        return np.exp(E - logsumexp(E))
    keep = np.broadcast_to(mask if E.ndim == 2 else mask[:, None, :], E.shape)
    masked_scores = np.where(keep, E, -np.inf)
    alpha = np.exp(masked_scores - logsumexp(masked_scores))
    return np.where(keep, alpha, 0.0)
