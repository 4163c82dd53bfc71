import numpy as np


def memory_write(memory, w, u, v):
    erase_matrix = np.matmul(w[:, :, None], u[:, None, :])
    add_matrix = np.matmul(w[:, :, None], v[:, None, :])
    memory_new = np.multiply(memory, 1.0 - erase_matrix)
    memory_new = np.add(memory_new, add_matrix)
    return memory_new
