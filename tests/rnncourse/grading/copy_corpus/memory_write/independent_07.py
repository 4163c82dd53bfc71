import numpy as np


def memory_write(memory, w, u, v):
    slots = []
    for M_n, w_n, u_n, v_n in zip(memory, w, u, v):
        slots.append(np.stack([row * (1 - wi * u_n) + wi * v_n for row, wi in zip(M_n, w_n)]))
    return np.stack(slots)
