import numpy as np


def gru_step_forward(x, h_prev, U, W, b):
    H = W.shape[1]
    # column vectors, (3H, N)
    a_in = U @ x.T + b[:, None]
    a_rec = W @ h_prev.T
    rz = 1 / (1 + np.exp(-(a_in[:2 * H] + a_rec[:2 * H])))
    r, z = np.vsplit(rz, 2)
    h_t = np.tanh(a_in[2 * H:] + r * a_rec[2 * H:])
    h = h_prev.T
    return ((1 - z) * h + z * h_t).T
