import numpy as np


def sharpen(w_tilde, xi):
    r = w_tilde / w_tilde.max(axis=1, keepdims=True)
    p = r ** xi[:, None]
    return p / p.sum(axis=1, keepdims=True)


def sharpen_backward(dw, w_tilde, xi):
    """Uses w / w~ directly where w~ > 0; at w~ = 0 the ratio is the limit (1/Z for xi = 1, else 0)."""
    w = sharpen(w_tilde, xi)
    g = dw - (w * dw).sum(axis=1, keepdims=True)
    positive = w_tilde > 0
    safe = np.where(positive, w_tilde, 1.0)
    dxi = (w * g * np.log(safe)).sum(axis=1)
    Z_for_xi_one = w_tilde.sum(axis=1, keepdims=True)
    at_zero = np.where(xi[:, None] == 1.0, 1.0 / Z_for_xi_one, 0.0)
    ratio = np.where(positive, w / safe, at_zero)
    dw_tilde = xi[:, None] * ratio * g
    return dw_tilde, dxi
