"""global_norm: np.hypot folded over the per-array norms (no overflow on the way)."""
import numpy as np


def global_norm(grads):
    result = 0.0
    for g in grads.values():
        result = np.hypot(result, np.linalg.norm(g.ravel()))
    return float(result)
