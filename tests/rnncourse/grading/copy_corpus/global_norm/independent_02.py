"""global_norm: concatenate every gradient into one long vector, then its norm."""
import numpy as np


def global_norm(grads):
    if not grads:
        return 0.0
    flat = np.concatenate([np.ravel(v) for v in grads.values()])
    return float(np.linalg.norm(flat))
