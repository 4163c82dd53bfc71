import numpy as np


def peephole_lstm_step_forward(x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    a_i, a_f, a_o, a_c = np.split(b + h_prev.dot(W.T) + x.dot(U.T), 4, axis=1)
    s = lambda t: 0.5 * (1.0 + np.tanh(0.5 * t))  # noqa: E731
    C_next = s(a_f + pi_f * C_prev) * C_prev + s(a_i + pi_i * C_prev) * np.tanh(a_c)
    h_next = s(a_o + pi_omega * C_next) * np.tanh(C_next)
    return h_next, C_next
