import numpy as np


def circular_shift(w_g, s):
    """Sum over the shifts k of s[k] times the weighting rolled by k slots."""
    out = np.zeros_like(w_g)
    for k in range(w_g.shape[1]):
        out += s[:, k:k + 1] * np.roll(w_g, k, axis=1)
    return out
