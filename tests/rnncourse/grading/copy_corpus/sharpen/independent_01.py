import numpy as np


def sharpen(w_tilde, xi):
    positive = w_tilde > 0
    logs = np.log(np.where(positive, w_tilde, 1.0))
    z = np.where(positive, xi[:, None] * logs, -np.inf)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
