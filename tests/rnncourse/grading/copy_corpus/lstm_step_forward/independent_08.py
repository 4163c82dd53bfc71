import numpy as np


def logistic(v):
    return np.exp(-np.logaddexp(0.0, -v))


def lstm_step_forward(x, h_prev, C_prev, U, W, b):
    N, D = x.shape
    H = h_prev.shape[1]
    U4 = U.reshape(4, H, D)
    W4 = W.reshape(4, H, H)
    b4 = b.reshape(4, 1, H)
    act = np.matmul(x, U4.transpose(0, 2, 1)) + np.matmul(h_prev, W4.transpose(0, 2, 1)) + b4  # (4, N, H)
    in_g, forget_g, out_g = logistic(act[0]), logistic(act[1]), logistic(act[2])
    cand = np.tanh(act[3])
    new_C = in_g * cand + forget_g * C_prev
    new_h = np.tanh(new_C) * out_g
    return new_h, new_C
