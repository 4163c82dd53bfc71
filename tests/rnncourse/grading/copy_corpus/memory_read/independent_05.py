import numpy as np


def memory_read(memory, w):
    return np.matmul(w[:, None, :], memory)[:, 0, :]
