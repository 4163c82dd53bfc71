"""clip_gradients: sum of squared per-array norms, then np.copy and an in-place scale of the copies."""
import numpy as np


def clip_gradients(grads, max_norm):
    sq = 0.0
    for g in grads.values():
        sq += np.linalg.norm(g.ravel()) ** 2
    norm = float(np.sqrt(sq))
    new = {k: np.copy(g) for k, g in grads.items()}
    if norm > max_norm:
        for k in new:
            new[k] *= max_norm / norm
    return new, norm
