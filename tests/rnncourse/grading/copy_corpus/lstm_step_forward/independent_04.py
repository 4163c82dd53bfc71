import numpy as np


def lstm_step_forward(x, h_prev, C_prev, U, W, b):
    N, H = h_prev.shape
    # (N, 4H) pre-activations, then viewed as (N, 4, H): one row of blocks per example
    A = np.einsum("nd,gd->ng", x, U) + np.einsum("nh,gh->ng", h_prev, W) + b
    A = A.reshape(N, 4, H)
    gates = 1.0 / (1.0 + np.exp(-A[:, :3]))
    i_t, f_t, o_t = gates[:, 0], gates[:, 1], gates[:, 2]
    c_tilde = np.tanh(A[:, 3])
    c_t = f_t * C_prev + i_t * c_tilde
    return o_t * np.tanh(c_t), c_t
