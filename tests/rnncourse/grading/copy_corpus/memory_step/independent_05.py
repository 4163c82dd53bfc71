import numpy as np


def memory_step(memory, w_write, u, v, w_read):
    keep = 1.0 - w_write[:, :, None] @ u[:, None, :]
    memory_new = memory * keep + w_write[:, :, None] @ v[:, None, :]
    m = (w_read[:, None, :] @ memory_new)[:, 0, :]
    return memory_new, m
