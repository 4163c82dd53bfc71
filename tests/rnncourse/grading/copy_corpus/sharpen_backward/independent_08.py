import numpy as np


def sharpen_backward(dw, w_tilde, xi):
    # sharpen = softmax of z = xi log w~: first back through the softmax, then through z
    keep = w_tilde > 0
    log_w = np.log(np.where(keep, w_tilde, 1.0))
    z = np.where(keep, xi[:, None] * log_w, -np.inf)
    z = z - z.max(axis=1, keepdims=True)
    w = np.exp(z)
    w = w / w.sum(axis=1, keepdims=True)
    dz = w * (dw - (w * dw).sum(axis=1, keepdims=True))
    dxi = (dz * log_w).sum(axis=1)
    # dz/dw~ = xi / w~; at w~ = 0 only xi = 1 leaves a gradient, g / sum(w~)
    g = dw - (w * dw).sum(axis=1, keepdims=True)
    zero_slot = np.where(xi[:, None] == 1, g / w_tilde.sum(axis=1, keepdims=True), 0.0)
    dw_tilde = np.where(keep, xi[:, None] * dz / np.where(keep, w_tilde, 1.0), zero_slot)
    return dw_tilde, dxi
