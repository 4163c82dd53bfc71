import numpy as np


def memory_read(memory, w):
    """m[n] = sum_i w[n, i] memory[n, i]."""
    return np.sum(w[:, :, None] * memory, axis=1)
