import numpy as np


def sample_index(p, upsilon):
    # normalise the probabilities first, then invert the cumulative distribution
    q = p / p.sum(axis=1, keepdims=True)
    F = np.cumsum(q, axis=1)
    below = F <= upsilon.reshape(-1, 1)
    k = below.sum(axis=1)
    return np.minimum(k, p.shape[1] - 1).astype(np.int64)
