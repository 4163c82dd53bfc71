import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm_step_forward(x, h_prev, C_prev, U, W, b):
    H = h_prev.shape[1]
    a = x @ U.T + h_prev @ W.T + b
    i = sigmoid(a[:, :H])
    f = sigmoid(a[:, H:2 * H])
    o = sigmoid(a[:, 2 * H:3 * H])
    g = np.tanh(a[:, 3 * H:])
    C_next = f * C_prev + i * g
    h_next = o * np.tanh(C_next)
    return h_next, C_next
