import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def gru_step_forward(x, h_prev, U, W, b):
    H = h_prev.shape[1]
    xu = x @ U.T + b          # input part of all three blocks, bias included
    hw = h_prev @ W.T         # recurrent part of all three blocks
    r = sigmoid(xu[:, :H] + hw[:, :H])
    z = sigmoid(xu[:, H:2 * H] + hw[:, H:2 * H])
    h_tilde = np.tanh(xu[:, 2 * H:] + r * hw[:, 2 * H:])
    h_next = (1 - z) * h_prev + z * h_tilde
    return h_next
