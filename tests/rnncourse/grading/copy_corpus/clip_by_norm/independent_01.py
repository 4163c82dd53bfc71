"""clip_by_norm: one scale factor from the global norm, a dict comprehension."""
import numpy as np


def clip_by_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
    scale = max_norm / norm if norm > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}
