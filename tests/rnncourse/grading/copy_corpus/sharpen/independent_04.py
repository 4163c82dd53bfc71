import numpy as np


def sharpen(w_tilde, xi):
    log_w = np.full(w_tilde.shape, -np.inf)
    np.log(w_tilde, out=log_w, where=w_tilde > 0)
    a = log_w * xi[:, np.newaxis]
    a -= a.max(axis=1)[:, np.newaxis]
    out = np.exp(a)
    out /= out.sum(axis=1)[:, np.newaxis]
    return out
