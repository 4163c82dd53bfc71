import numpy as np


def attention_context_backward(dMs, alpha, values):
    if alpha.ndim == 2:
        dalpha = np.sum(dMs[:, None, :] * values, axis=-1)
        dvalues = alpha[:, :, None] * dMs[:, None, :]
    else:
        dalpha = np.sum(dMs[:, :, None, :] * values[:, None, :, :], axis=-1)
        dvalues = np.sum(alpha[:, :, :, None] * dMs[:, :, None, :], axis=1)
    return dalpha, dvalues
