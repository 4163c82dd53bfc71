import numpy as np


def peephole_lstm_step_forward(x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    N, H = h_prev.shape
    A = (np.einsum("nd,kd->nk", x, U) + np.einsum("nh,kh->nk", h_prev, W) + b).reshape(N, 4, H)
    # the peepholes of the input and forget gates, both on the old cell
    peep_old = np.stack([pi_i, pi_f])[None] * C_prev[:, None, :]
    i_f = 1 / (1 + np.exp(-(A[:, :2] + peep_old)))
    C = i_f[:, 1] * C_prev + i_f[:, 0] * np.tanh(A[:, 3])
    out = 1 / (1 + np.exp(-(A[:, 2] + pi_omega * C)))
    return out * np.tanh(C), C
