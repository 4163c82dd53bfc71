import numpy as np


def write(memory, w, u, v):
    w = w[..., np.newaxis]
    return memory - memory * (w * u[:, np.newaxis, :]) + w * v[:, np.newaxis, :]


def read(memory, w):
    return np.sum(w[:, :, np.newaxis] * memory, axis=1)


def memory_step(memory, w_write, u, v, w_read):
    after = write(memory, w_write, u, v)
    return after, read(after, w_read)
