import numpy as np


def sample_index(p, upsilon):
    F = np.cumsum(p, axis=1)
    F = F / F[:, -1:]
    return np.sum(F <= upsilon[:, None], axis=1).astype(np.int64)
