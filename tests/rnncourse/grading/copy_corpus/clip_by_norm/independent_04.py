"""clip_by_norm: copy first, then scale the copies in place when the norm is too large."""
import numpy as np


def clip_by_norm(grads, max_norm):
    clipped = {k: np.array(v, copy=True) for k, v in grads.items()}
    norm = np.linalg.norm(np.concatenate([v.ravel() for v in clipped.values()])) if clipped else 0.0
    if norm > max_norm:
        for v in clipped.values():
            v *= max_norm / norm
    return clipped
