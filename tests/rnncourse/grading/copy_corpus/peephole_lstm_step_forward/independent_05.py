import math

import numpy as np


def peephole_lstm_step_forward(x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    N, H = h_prev.shape
    h_next = np.zeros((N, H))
    C_next = np.zeros((N, H))
    sig = lambda v: 1.0 / (1.0 + math.exp(-v))  # noqa: E731
    for n in range(N):
        a = U @ x[n] + W @ h_prev[n] + b
        for j in range(H):
            c_old = C_prev[n, j]
            i = sig(a[j] + pi_i[j] * c_old)
            f = sig(a[H + j] + pi_f[j] * c_old)
            c_new = f * c_old + i * math.tanh(a[3 * H + j])
            o = sig(a[2 * H + j] + pi_omega[j] * c_new)
            C_next[n, j] = c_new
            h_next[n, j] = o * math.tanh(c_new)
    return h_next, C_next
