"""global_norm: list of squared sums in a helper, then a sqrt of their total."""
import numpy as np


def _squared_sums(arrays):
    return [float(np.square(a).sum()) for a in arrays]


def global_norm(grads):
    """The norm of all gradients as one vector."""
    parts = _squared_sums(grads.values())
    return float(np.sqrt(np.sum(parts)))
