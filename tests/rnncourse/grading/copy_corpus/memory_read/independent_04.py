import numpy as np


def memory_read(memory, w):
    # M^T w for every example, as a batched matrix-vector product
    return (memory.transpose(0, 2, 1) @ w[:, :, np.newaxis]).squeeze(axis=2)
