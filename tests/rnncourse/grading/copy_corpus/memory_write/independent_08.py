import numpy as np


def memory_write(memory, w, u, v):
    W = np.expand_dims(w, 2)
    # the same as M + w (v - M * u): erase and add in one update
    return memory + W * (np.expand_dims(v, 1) - memory * np.expand_dims(u, 1))
