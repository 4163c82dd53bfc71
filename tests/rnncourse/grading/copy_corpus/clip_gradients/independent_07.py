"""clip_gradients: the clip coefficient of the usual frameworks, without their small epsilon."""
import numpy as np


def clip_gradients(grads, max_norm):
    total_norm = float(np.linalg.norm(np.array([np.linalg.norm(g) for g in grads.values()])))
    clip_coef = max_norm / total_norm if total_norm > 0 else 1.0
    clip_coef_clamped = min(clip_coef, 1.0)
    return {name: g * clip_coef_clamped for name, g in grads.items()}, total_norm
