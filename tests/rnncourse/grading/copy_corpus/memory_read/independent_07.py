import numpy as np


def memory_read(memory, w):
    N, S, M = memory.shape
    out = np.empty((N, M))
    for n in range(N):
        out[n] = np.dot(memory[n].T, w[n])
    return out
