"""clip_gradients: min(1, max_norm / norm) written without a branch, guarded for zero."""
import numpy as np


def clip_gradients(grads, max_norm):
    norm = np.sqrt(np.sum([np.sum(np.square(v)) for v in grads.values()]))
    ratio = max_norm / norm if norm > 0 else np.inf
    c = min(1.0, ratio)
    return {k: (v * c).astype(v.dtype) for k, v in grads.items()}, float(norm)
