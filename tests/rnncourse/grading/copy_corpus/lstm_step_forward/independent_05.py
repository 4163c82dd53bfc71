import numpy as np


def lstm_step_forward(x, h_prev, C_prev, U, W, b):
    # one product with the inputs and the previous state side by side
    xh = np.concatenate([x, h_prev], axis=1)
    UW = np.concatenate([U, W], axis=1)
    z = xh @ UW.T + b
    H = C_prev.shape[1]
    sig = 1 / (1 + np.exp(-z[:, :3 * H]))
    i, f, out = sig[:, :H], sig[:, H:2 * H], sig[:, 2 * H:]
    C_tilde = np.tanh(z[:, 3 * H:])
    C_next = f * C_prev + i * C_tilde
    h_next = out * np.tanh(C_next)
    return h_next, C_next
