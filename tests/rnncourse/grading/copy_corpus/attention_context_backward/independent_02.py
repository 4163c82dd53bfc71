import numpy as np


def attention_context_backward(dMs, alpha, values):
    dalpha = np.zeros_like(alpha)
    dvalues = np.zeros_like(values)
    for n in range(alpha.shape[0]):
        if alpha.ndim == 2:
            dalpha[n] = values[n] @ dMs[n]
            dvalues[n] = np.outer(alpha[n], dMs[n])
        else:
            dalpha[n] = dMs[n] @ values[n].T
            dvalues[n] = alpha[n].T @ dMs[n]
    return dalpha, dvalues
