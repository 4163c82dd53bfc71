import numpy as np


def attention_weights_backward(dalpha, alpha):
    if alpha.ndim == 2:
        return attention_weights_backward(dalpha[:, None, :], alpha[:, None, :])[:, 0, :]
    N, T_y, T_x = alpha.shape
    dE = np.zeros((N, T_y, T_x))
    for n in range(N):
        for t in range(T_y):
            s = sum(alpha[n, t, i] * dalpha[n, t, i] for i in range(T_x))
            for j in range(T_x):
                dE[n, t, j] = alpha[n, t, j] * (dalpha[n, t, j] - s)
    return dE
