import numpy as np


def memory_step(memory, w_write, u, v, w_read):
    N, S, M = memory.shape
    # as one matrix per example: M_t = M_{t-1} o (1 1^T - w u^T) + w v^T, then m = M_t^T w_r
    flat = memory.reshape(N, S * M)
    erase = (w_write[:, :, None] * u[:, None, :]).reshape(N, S * M)
    add = (w_write[:, :, None] * v[:, None, :]).reshape(N, S * M)
    out = (flat * (1 - erase) + add).reshape(N, S, M)
    m = np.array([out[n].T.dot(w_read[n]) for n in range(N)])
    return out, m
