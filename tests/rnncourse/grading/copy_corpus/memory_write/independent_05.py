import numpy as np


def memory_write(memory, w, u, v):
    w_col = w[..., np.newaxis]                 # (N, S, 1)
    erased = memory - memory * w_col * u[:, np.newaxis, :]
    return erased + w_col * v[:, np.newaxis, :]
