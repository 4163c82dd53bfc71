import numpy as np


def _sig(v):
    # logistic function written with tanh, no overflow for large negative inputs
    return 0.5 * (1.0 + np.tanh(0.5 * v))


def lstm_step_forward(x, h_prev, C_prev, U, W, b):
    pre = b + h_prev.dot(W.T) + x.dot(U.T)
    a_i, a_f, a_o, a_c = np.split(pre, 4, axis=1)
    C_next = _sig(a_f) * C_prev + _sig(a_i) * np.tanh(a_c)
    h_next = _sig(a_o) * np.tanh(C_next)
    return h_next, C_next
