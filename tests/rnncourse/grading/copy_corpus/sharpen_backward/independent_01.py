import numpy as np


def sharpen_backward(dw, w_tilde, xi):
    pos = w_tilde > 0
    log_wt = np.log(np.where(pos, w_tilde, 1.0))          # 0 where w~ = 0 (its weight is 0 anyway)
    z = np.where(pos, xi[:, None] * log_wt, -np.inf)
    top = z.max(axis=1, keepdims=True)
    e = np.exp(z - top)
    log_Z = top + np.log(e.sum(axis=1, keepdims=True))
    w = e / e.sum(axis=1, keepdims=True)

    g = dw - np.sum(w * dw, axis=1, keepdims=True)
    dxi = np.sum(w * g * log_wt, axis=1)
    # w / w~ = w~^(xi - 1) / Z, from logarithms; at w~ = 0 it is 1/Z for xi = 1 and 0 otherwise
    expo = np.where(pos, (xi[:, None] - 1) * log_wt, np.where(xi[:, None] == 1, 0.0, -np.inf))
    ratio = np.exp(expo - log_Z)
    return xi[:, None] * ratio * g, dxi
