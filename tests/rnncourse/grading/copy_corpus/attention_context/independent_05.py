import numpy as np


def attention_context(alpha, values):
    if alpha.ndim == 2:
        return np.sum(alpha[:, :, None] * values, axis=1)
    return np.sum(alpha[:, :, :, None] * values[:, None, :, :], axis=2)
