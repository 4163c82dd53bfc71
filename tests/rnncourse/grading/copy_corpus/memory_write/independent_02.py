import numpy as np


def memory_write(memory, w, u, v):
    """Erase, then add, on a copy of the memory."""
    new = memory.copy()
    new *= 1.0 - np.einsum("ns,nm->nsm", w, u)
    new += np.einsum("ns,nm->nsm", w, v)
    return new
