"""clip_by_norm: the norm from a flat concatenation, np.where-free branching via a ratio."""
import numpy as np


def clip_by_norm(grads, max_norm):
    keys = list(grads)
    flat = np.concatenate([grads[k].reshape(-1) for k in keys]) if keys else np.zeros(0)
    ratio = max_norm / max(float(np.sqrt(flat @ flat)), max_norm)
    return {k: grads[k] * ratio for k in keys}
