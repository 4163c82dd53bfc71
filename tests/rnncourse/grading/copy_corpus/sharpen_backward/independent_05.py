import numpy as np


def sharpen(w_tilde, xi):
    logw = np.full(w_tilde.shape, -np.inf)
    np.log(w_tilde, out=logw, where=w_tilde > 0)
    z = xi[:, None] * logw
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def sharpen_backward(dw, w_tilde, xi):
    w = sharpen(w_tilde, xi)
    g = dw - np.einsum("ns,ns->n", w, dw)[:, None]
    logw = np.zeros(w_tilde.shape)
    np.log(w_tilde, out=logw, where=w_tilde > 0)
    dxi = np.einsum("ns,ns,ns->n", w, g, logw)
    # ratio w / w~; where w~ = 0 take the limit: 0 for xi > 1, 1 / sum(w~) for xi = 1
    limit = np.where(xi == 1, 1.0 / w_tilde.sum(axis=1), 0.0)
    ratio = np.divide(w, w_tilde, out=np.broadcast_to(limit[:, None], w.shape).copy(), where=w_tilde > 0)
    return xi[:, None] * ratio * g, dxi
