import numpy as np


def memory_step(memory, w_write, u, v, w_read):
    erase = np.einsum("ns,nm->nsm", w_write, u)
    add = np.einsum("ns,nm->nsm", w_write, v)
    new = memory * (1 - erase) + add
    return new, np.einsum("ns,nsm->nm", w_read, new)
