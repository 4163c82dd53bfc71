import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def peephole_lstm_step_forward(x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    H = h_prev.shape[1]
    a = x @ U.T + h_prev @ W.T + b
    i = sigmoid(a[:, :H] + pi_i * C_prev)
    f = sigmoid(a[:, H:2 * H] + pi_f * C_prev)
    C_tilde = np.tanh(a[:, 3 * H:])
    C_next = f * C_prev + i * C_tilde
    omega = sigmoid(a[:, 2 * H:3 * H] + pi_omega * C_next)
    h_next = omega * np.tanh(C_next)
    return h_next, C_next
