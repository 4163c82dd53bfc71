import numpy as np


def attention_context_backward(dMs, alpha, values):
    if alpha.ndim == 2:
        da, dv = attention_context_backward(dMs[:, None, :], alpha[:, None, :], values)
        return da[:, 0, :], dv
    N, T_y, T_x = alpha.shape
    dalpha = np.zeros((N, T_y, T_x))
    dvalues = np.zeros(values.shape)
    for n in range(N):
        for t in range(T_y):
            for j in range(T_x):
                dalpha[n, t, j] = dMs[n, t] @ values[n, j]
                dvalues[n, j] += alpha[n, t, j] * dMs[n, t]
    return dalpha, dvalues
