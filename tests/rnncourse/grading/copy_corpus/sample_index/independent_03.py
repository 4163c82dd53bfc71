import numpy as np


def sample_index(p, upsilon):
    N, K = p.shape
    out = np.zeros(N, dtype=np.int64)
    for n in range(N):
        cum = np.cumsum(p[n])
        for k in range(K):
            if upsilon[n] < cum[k] / cum[-1]:
                out[n] = k
                break
    return out
