import numpy as np


def gru_step_backward(dh_next, x, h_prev, U, W, b):
    H = W.shape[1]
    X, Hp, dH = x.T, h_prev.T, dh_next.T  # columns are examples
    a_x = U @ X + b[:, None]
    a_h = W @ Hp
    r = 1 / (1 + np.exp(-(a_x[:H] + a_h[:H])))
    z = 1 / (1 + np.exp(-(a_x[H:2 * H] + a_h[H:2 * H])))
    ht = np.tanh(a_x[2 * H:] + r * a_h[2 * H:])
    d_ht = dH * z * (1 - ht * ht)
    d_z = dH * (ht - Hp) * z * (1 - z)
    d_r = d_ht * a_h[2 * H:] * r * (1 - r)
    dAx = np.vstack([d_r, d_z, d_ht])
    dAh = np.vstack([d_r, d_z, r * d_ht])
    dU = dAx @ X.T
    dW = dAh @ Hp.T
    db = dAx.sum(axis=1)
    dx = (U.T @ dAx).T
    dh_prev = (dH * (1 - z) + W.T @ dAh).T
    return dx, dh_prev, dU, dW, db
