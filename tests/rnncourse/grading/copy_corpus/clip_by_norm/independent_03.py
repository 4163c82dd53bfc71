"""clip_by_norm: the factor min(1, max_norm / norm), with a guard for all-zero gradients."""
import numpy as np


def clip_by_norm(grads, max_norm):
    squared = 0.0
    for g in grads.values():
        squared += np.sum(np.square(g))
    norm = np.sqrt(squared)
    factor = 1.0 if norm == 0 else min(1.0, max_norm / norm)
    out = {}
    for key in grads:
        out[key] = grads[key] * factor
    return out
