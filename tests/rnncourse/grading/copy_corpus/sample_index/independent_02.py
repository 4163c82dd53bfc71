import numpy as np


def sample_index(p, upsilon):
    N = p.shape[0]
    k = np.empty(N, dtype=np.int64)
    for n in range(N):
        F = np.cumsum(p[n])
        F /= F[-1]
        k[n] = np.searchsorted(F, upsilon[n], side="right")
    return k
