"""global_norm: square root of the summed squares of every array."""
import numpy as np


def global_norm(grads):
    return float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
