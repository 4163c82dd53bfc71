import numpy as np


def attention_context(alpha, values):
    if alpha.ndim == 2:
        return np.einsum("nj,njh->nh", alpha, values)
    return np.einsum("ntj,njh->nth", alpha, values)
