import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def gru_step_backward(dh_next, x, h_prev, U, W, b):
    H = h_prev.shape[1]
    xu = x @ U.T + b
    hw = h_prev @ W.T
    r = sigmoid(xu[:, :H] + hw[:, :H])
    z = sigmoid(xu[:, H:2 * H] + hw[:, H:2 * H])
    g = hw[:, 2 * H:]
    h_tilde = np.tanh(xu[:, 2 * H:] + r * g)

    da_z = dh_next * (h_tilde - h_prev) * z * (1 - z)
    da_h = dh_next * z * (1 - h_tilde ** 2)
    da_r = da_h * g * r * (1 - r)

    d_in = np.concatenate([da_r, da_z, da_h], axis=1)
    d_rec = np.concatenate([da_r, da_z, r * da_h], axis=1)

    dx = d_in @ U
    dh_prev = dh_next * (1 - z) + d_rec @ W
    dU = d_in.T @ x
    dW = d_rec.T @ h_prev
    db = d_in.sum(axis=0)
    return dx, dh_prev, dU, dW, db
