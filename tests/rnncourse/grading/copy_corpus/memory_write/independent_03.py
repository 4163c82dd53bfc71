import numpy as np


def memory_write(memory, w, u, v):
    N, S, M = memory.shape
    out = np.empty((N, S, M))
    for n in range(N):
        for i in range(S):
            for j in range(M):
                kept = memory[n, i, j] * (1 - w[n, i] * u[n, j])
                out[n, i, j] = kept + w[n, i] * v[n, j]
    return out
