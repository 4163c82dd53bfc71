import numpy as np


def gru_step_backward(dh_next, x, h_prev, U, W, b):
    N, H = h_prev.shape
    Ax = (np.einsum("kd,nd->nk", U, x) + b).reshape(N, 3, H)
    Ah = np.einsum("kh,nh->nk", W, h_prev).reshape(N, 3, H)
    gates = 1 / (1 + np.exp(-(Ax[:, :2] + Ah[:, :2])))
    r, z = gates[:, 0], gates[:, 1]
    hh = np.tanh(Ax[:, 2] + r * Ah[:, 2])

    dAx = np.empty((N, 3, H))
    dAx[:, 2] = dh_next * z * (1 - hh ** 2)
    dAx[:, 1] = dh_next * (hh - h_prev) * z * (1 - z)
    dAx[:, 0] = dAx[:, 2] * Ah[:, 2] * r * (1 - r)
    dAh = dAx.copy()
    dAh[:, 2] *= r
    dAx, dAh = dAx.reshape(N, 3 * H), dAh.reshape(N, 3 * H)

    dx = np.einsum("nk,kd->nd", dAx, U)
    dh_prev = dh_next * (1 - z) + np.einsum("nk,kh->nh", dAh, W)
    dU = np.einsum("nk,nd->kd", dAx, x)
    dW = np.einsum("nk,nh->kh", dAh, h_prev)
    db = dAx.sum(axis=0)
    return dx, dh_prev, dU, dW, db
