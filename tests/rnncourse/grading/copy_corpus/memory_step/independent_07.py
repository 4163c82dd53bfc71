import numpy as np


def memory_step(memory, w_write, u, v, w_read):
    ww = np.expand_dims(w_write, 2)
    erased = memory * (np.ones_like(memory) - ww * np.expand_dims(u, 1))
    written = erased + ww * np.expand_dims(v, 1)
    vec = np.einsum("nsm,ns->nm", written, w_read)
    return written, vec
