import numpy as np


def logistic(t):
    return np.exp(-np.logaddexp(0.0, -t))


def gru_step_backward(dh_next, x, h_prev, U, W, b):
    px = np.split(x @ U.T + b, 3, axis=1)
    ph = np.split(h_prev @ W.T, 3, axis=1)
    reset = logistic(px[0] + ph[0])
    upd = logistic(px[1] + ph[1])
    new = np.tanh(px[2] + reset * ph[2])

    g_new = dh_next * upd * (1.0 - new ** 2)
    g_upd = dh_next * (new - h_prev) * upd * (1.0 - upd)
    g_reset = g_new * ph[2] * reset * (1.0 - reset)

    grad_x_side = [g_reset, g_upd, g_new]
    grad_h_side = [g_reset, g_upd, g_new * reset]

    dU = np.concatenate([g.T @ x for g in grad_x_side], axis=0)
    dW = np.concatenate([g.T @ h_prev for g in grad_h_side], axis=0)
    db = np.concatenate([g.sum(axis=0) for g in grad_x_side])
    dx = np.concatenate(grad_x_side, axis=1) @ U
    dh_prev = np.concatenate(grad_h_side, axis=1) @ W + (1.0 - upd) * dh_next
    return dx, dh_prev, dU, dW, db
