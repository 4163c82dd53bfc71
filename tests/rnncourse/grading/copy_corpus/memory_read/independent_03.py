import numpy as np


def memory_read(memory, w):
    N, S, M = memory.shape
    m = np.zeros((N, M))
    for n in range(N):
        for i in range(S):
            m[n] += w[n, i] * memory[n, i]
    return m
