import numpy as np


def attention_context_backward(dMs, alpha, values):
    if alpha.ndim == 2:
        dalpha = np.matmul(values, dMs[:, :, None])[:, :, 0]
        dvalues = alpha[:, :, None] * dMs[:, None, :]
        return dalpha, dvalues
    dalpha = np.matmul(dMs, np.swapaxes(values, 1, 2))
    dvalues = np.matmul(np.swapaxes(alpha, 1, 2), dMs)
    return dalpha, dvalues
