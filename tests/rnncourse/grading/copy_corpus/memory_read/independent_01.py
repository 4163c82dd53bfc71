import numpy as np


def memory_read(memory, w):
    return np.einsum("ns,nsm->nm", w, memory)
