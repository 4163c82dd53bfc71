import math

import numpy as np


def peephole_lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    """One example and one unit at a time: every gradient is a sum of scalar chain-rule terms."""
    N, H = h_prev.shape
    D = x.shape[1]
    dx = np.zeros((N, D))
    dh_prev = np.zeros((N, H))
    dC_prev = np.zeros((N, H))
    dU = np.zeros((4 * H, D))
    dW = np.zeros((4 * H, H))
    db = np.zeros(4 * H)
    dpi_i, dpi_f, dpi_omega = np.zeros(H), np.zeros(H), np.zeros(H)
    logistic = lambda v: 1.0 / (1.0 + math.exp(-v))  # noqa: E731
    for n in range(N):
        for j in range(H):
            rows = [k * H + j for k in range(4)]
            a = [b[r] + float(U[r] @ x[n]) + float(W[r] @ h_prev[n]) for r in rows]
            old = C_prev[n, j]
            ig = logistic(a[0] + pi_i[j] * old)
            fg = logistic(a[1] + pi_f[j] * old)
            cand = math.tanh(a[3])
            new = fg * old + ig * cand
            og = logistic(a[2] + pi_omega[j] * new)
            t = math.tanh(new)
            # the loss of this unit: dh * og * tanh(new) + dC * new
            g_pre_o = dh_next[n, j] * t * og * (1 - og)
            g_new = dC_next[n, j] + dh_next[n, j] * og * (1 - t * t) + g_pre_o * pi_omega[j]
            g_pre_i = g_new * cand * ig * (1 - ig)
            g_pre_f = g_new * old * fg * (1 - fg)
            g_pre_c = g_new * ig * (1 - cand * cand)
            dC_prev[n, j] = g_new * fg + g_pre_i * pi_i[j] + g_pre_f * pi_f[j]
            dpi_i[j] += g_pre_i * old
            dpi_f[j] += g_pre_f * old
            dpi_omega[j] += g_pre_o * new
            for r, g in zip(rows, [g_pre_i, g_pre_f, g_pre_o, g_pre_c]):
                dx[n] += g * U[r]
                dh_prev[n] += g * W[r]
                dU[r] += g * x[n]
                dW[r] += g * h_prev[n]
                db[r] += g
    return dx, dh_prev, dC_prev, dU, dW, db, dpi_i, dpi_f, dpi_omega
