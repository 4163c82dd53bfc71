import numpy as np


def sharpen_backward(dw, w_tilde, xi):
    x = xi[:, None]
    top = w_tilde.max(axis=1, keepdims=True)
    r = w_tilde / top                                   # in [0, 1], no underflow trouble
    r_pow = r ** x
    total = r_pow.sum(axis=1, keepdims=True)
    w = r_pow / total
    # w~^(xi-1) / sum_j w~_j^xi = r^(xi-1) / (top * sum_j r_j^xi); 0 ** 0 = 1 covers xi = 1
    ratio = r ** (x - 1) / (top * total)
    g = dw - (w * dw).sum(axis=1, keepdims=True)
    log_wt = np.log(np.where(w_tilde > 0, w_tilde, 1.0))
    return x * ratio * g, (w * g * log_wt).sum(axis=1)
