import numpy as np


def sample_index(p, upsilon):
    F = p.cumsum(axis=1)
    F /= F[:, [-1]]
    # the first class whose cumulative probability exceeds upsilon
    return np.argmax(F > upsilon[:, None], axis=1).astype(np.int64)
