"""clip_by_norm: a loop over items with a precomputed multiplier and np.multiply."""
import numpy as np


def clip_by_norm(grads, max_norm):
    total_sq = sum(float((arr ** 2).sum()) for arr in grads.values())
    g_norm = total_sq ** 0.5
    multiplier = 1.0
    if g_norm > max_norm:
        multiplier = max_norm / g_norm
    return dict((key, np.multiply(arr, multiplier)) for key, arr in grads.items())
