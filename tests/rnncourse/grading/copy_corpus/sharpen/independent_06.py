import numpy as np


def _log_softmax_rows(z):
    top = z.max(axis=1, keepdims=True)
    return z - top - np.log(np.exp(z - top).sum(axis=1, keepdims=True))


def sharpen(w_tilde, xi):
    nonzero = w_tilde != 0
    safe = np.where(nonzero, w_tilde, 1.0)
    scores = np.where(nonzero, xi[:, None] * np.log(safe), -np.inf)
    return np.where(nonzero, np.exp(_log_softmax_rows(scores)), 0.0)
