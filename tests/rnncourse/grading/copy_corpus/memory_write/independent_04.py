import numpy as np


def memory_write(memory, w, u, v):
    N, S, M = memory.shape
    ones = np.ones((S, M))
    new = np.zeros_like(memory)
    for n in range(N):
        # M_t = M_{t-1} * (1 1^T - w u^T) + w v^T
        new[n] = memory[n] * (ones - np.outer(w[n], u[n])) + np.outer(w[n], v[n])
    return new
