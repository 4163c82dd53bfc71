import numpy as np


def peephole_lstm_step_forward(x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    H = W.shape[1]
    A = U @ x.T + W @ h_prev.T + b[:, None]   # (4H, N)
    Cp = C_prev.T
    i = 1 / (1 + np.exp(-(A[:H] + pi_i[:, None] * Cp)))
    f = 1 / (1 + np.exp(-(A[H:2 * H] + pi_f[:, None] * Cp)))
    Cn = f * Cp + i * np.tanh(A[3 * H:])
    o = 1 / (1 + np.exp(-(A[2 * H:3 * H] + pi_omega[:, None] * Cn)))
    hn = o * np.tanh(Cn)
    return hn.T, Cn.T
