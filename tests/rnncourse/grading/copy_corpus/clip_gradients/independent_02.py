"""clip_gradients: the norm of the concatenation, then copies scaled only when needed."""
import numpy as np


def clip_gradients(grads, max_norm):
    flat = np.concatenate([np.ravel(g).astype(np.float64) for g in grads.values()]) if grads else np.zeros(0)
    norm = float(np.linalg.norm(flat))
    result = {}
    for key in grads:
        g = grads[key].copy()
        if norm > max_norm:
            g *= max_norm / norm
        result[key] = g
    return result, norm
