"""clip_gradients with helpers: one for the global norm, one for the scaling factor."""
import numpy as np


def _global_norm(grads):
    return float(np.sqrt(sum(np.vdot(g, g).real for g in grads.values())))


def _factor(norm, threshold):
    if norm > threshold:
        return threshold / norm
    return 1.0


def clip_gradients(grads, max_norm):
    norm = _global_norm(grads)
    f = _factor(norm, max_norm)
    out = dict()
    for k, v in grads.items():
        out[k] = np.multiply(v, f, dtype=v.dtype)
    return out, norm
