import numpy as np


def attention_context(alpha, values):
    if alpha.ndim == 2:
        return attention_context(alpha[:, None, :], values)[:, 0, :]
    N, T_y, T_x = alpha.shape
    Ms = np.zeros((N, T_y, values.shape[2]))
    for n in range(N):
        for t in range(T_y):
            for j in range(T_x):
                Ms[n, t] += alpha[n, t, j] * values[n, j]
    return Ms
