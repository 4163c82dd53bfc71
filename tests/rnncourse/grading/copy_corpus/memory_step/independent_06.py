import numpy as np


def memory_step(memory, w_write, u, v, w_read):
    N, S, M = memory.shape
    new = memory.copy()
    for i in range(S):
        wi = w_write[:, i:i + 1]
        new[:, i, :] = new[:, i, :] * (1 - wi * u) + wi * v
    m = np.zeros((N, M))
    for i in range(S):
        m += w_read[:, i:i + 1] * new[:, i, :]
    return new, m
