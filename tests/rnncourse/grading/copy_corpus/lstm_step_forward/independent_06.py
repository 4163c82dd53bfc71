import math

import numpy as np


def lstm_step_forward(x, h_prev, C_prev, U, W, b):
    N, H = h_prev.shape
    h_next = np.zeros((N, H))
    C_next = np.zeros((N, H))
    for n in range(N):
        a = U @ x[n] + W @ h_prev[n] + b
        for j in range(H):
            i = 1 / (1 + math.exp(-a[j]))
            f = 1 / (1 + math.exp(-a[H + j]))
            o = 1 / (1 + math.exp(-a[2 * H + j]))
            c_hat = math.tanh(a[3 * H + j])
            C_next[n, j] = f * C_prev[n, j] + i * c_hat
            h_next[n, j] = o * math.tanh(C_next[n, j])
    return h_next, C_next
