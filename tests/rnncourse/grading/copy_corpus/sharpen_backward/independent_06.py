import numpy as np


def sharpen_backward(dw, w_tilde, xi):
    N, S = w_tilde.shape
    dw_tilde = np.zeros((N, S))
    dxi = np.zeros(N)
    for n in range(N):
        x, wt = xi[n], w_tilde[n]
        m = wt.max()
        r = wt / m
        Zr = np.sum(r ** x)
        w = r ** x / Zr
        ratio = r ** (x - 1) / (m * Zr)                 # dw_i / dw~_j = x (delta_ij - w_i) ratio_j
        J = x * (np.eye(S) - w[:, None]) * ratio[None, :]
        dw_tilde[n] = J.T @ dw[n]
        logs = np.log(np.where(wt > 0, wt, 1.0))
        mean_log = w @ logs
        dxi[n] = np.sum(dw[n] * w * (logs - mean_log))   # dw_i / dxi = w_i (log w~_i - sum_j w_j log w~_j)
    return dw_tilde, dxi
