import numpy as np


def sharpen(w_tilde, xi):
    # renormalise first so that no entry is tiny before the power (rows may be near 1e-200)
    w = w_tilde / np.sum(w_tilde, axis=1, keepdims=True)
    w = np.power(w, xi.reshape(-1, 1))
    return w / np.sum(w, axis=1, keepdims=True)
