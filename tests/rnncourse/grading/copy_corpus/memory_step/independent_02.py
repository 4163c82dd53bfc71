import numpy as np


def memory_step(memory, w_write, u, v, w_read):
    N, S, M = memory.shape
    new = np.zeros((N, S, M))
    read = np.zeros((N, M))
    for n in range(N):
        for i in range(S):
            for j in range(M):
                new[n, i, j] = memory[n, i, j] * (1 - w_write[n, i] * u[n, j]) + w_write[n, i] * v[n, j]
                read[n, j] += w_read[n, i] * new[n, i, j]
    return new, read
