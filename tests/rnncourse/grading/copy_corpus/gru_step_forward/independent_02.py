import numpy as np


def gru_step_forward(x, h_prev, U, W, b):
    """One GRU step (reset after the recurrent product)."""
    H = W.shape[1]
    Ur, Uz, Uh = U[:H], U[H:2 * H], U[2 * H:]
    Wr, Wz, Wh = W[:H], W[H:2 * H], W[2 * H:]
    br, bz, bh = b[:H], b[H:2 * H], b[2 * H:]

    reset = 1.0 / (1.0 + np.exp(-(br + h_prev @ Wr.T + x @ Ur.T)))
    update = 1.0 / (1.0 + np.exp(-(bz + h_prev @ Wz.T + x @ Uz.T)))
    candidate = np.tanh(bh + x @ Uh.T + reset * (h_prev @ Wh.T))
    return (1.0 - update) * h_prev + update * candidate
