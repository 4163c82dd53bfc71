import math

import numpy as np


def attention_weights(E, mask=None):
    if E.ndim == 2:
        return attention_weights(E[:, None, :], mask)[:, 0, :]
    N, T_y, T_x = E.shape
    alpha = np.zeros((N, T_y, T_x))
    for n in range(N):
        for t in range(T_y):
            idx = [j for j in range(T_x) if mask is None or mask[n, j]]
            top = max(E[n, t, j] for j in idx)
            expd = {j: math.exp(E[n, t, j] - top) for j in idx}
            total = sum(expd.values())
            for j in idx:
                alpha[n, t, j] = expd[j] / total
    return alpha
