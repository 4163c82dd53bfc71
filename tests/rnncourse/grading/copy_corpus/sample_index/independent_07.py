import numpy as np


def sample_index(p, upsilon):
    N = p.shape[0]
    F = np.cumsum(p, axis=1)
    F = F / F[:, -1][:, None]
    return np.array([np.digitize(upsilon[n], F[n]) for n in range(N)], dtype=np.int64)
