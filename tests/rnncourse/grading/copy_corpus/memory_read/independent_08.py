import numpy as np


def memory_read(memory, w):
    weighted = memory * np.expand_dims(w, -1)
    read = weighted.sum(axis=-2)
    return read
