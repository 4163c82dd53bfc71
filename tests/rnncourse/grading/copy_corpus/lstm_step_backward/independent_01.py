import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b):
    H = h_prev.shape[1]
    a = x @ U.T + h_prev @ W.T + b
    i = sigmoid(a[:, :H])
    f = sigmoid(a[:, H:2 * H])
    o = sigmoid(a[:, 2 * H:3 * H])
    g = np.tanh(a[:, 3 * H:])
    C_next = f * C_prev + i * g
    tC = np.tanh(C_next)

    dC = dC_next + dh_next * o * (1 - tC ** 2)
    da_i = dC * g * i * (1 - i)
    da_f = dC * C_prev * f * (1 - f)
    da_o = dh_next * tC * o * (1 - o)
    da_g = dC * i * (1 - g ** 2)
    da = np.hstack([da_i, da_f, da_o, da_g])

    dx = da @ U
    dh_prev = da @ W
    dC_prev = dC * f
    dU = da.T @ x
    dW = da.T @ h_prev
    db = da.sum(axis=0)
    return dx, dh_prev, dC_prev, dU, dW, db
