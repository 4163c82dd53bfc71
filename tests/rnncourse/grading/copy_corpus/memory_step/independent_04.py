import numpy as np


def memory_step(memory, w_write, u, v, w_read):
    slots = []
    reads = []
    for n in range(memory.shape[0]):
        M_n = memory[n] * (1.0 - np.outer(w_write[n], u[n])) + np.outer(w_write[n], v[n])
        slots.append(M_n)
        reads.append(M_n.T @ w_read[n])
    return np.stack(slots), np.stack(reads)
