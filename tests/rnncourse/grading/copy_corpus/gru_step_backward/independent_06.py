import numpy as np


def gru_step_backward(dh_next, x, h_prev, U, W, b):
    H = h_prev.shape[1]
    sig = lambda v: 0.5 * (1 + np.tanh(0.5 * v))  # noqa: E731
    pre_in = np.dot(x, U.T) + b
    pre_rec = np.dot(h_prev, W.T)
    r = sig(pre_in[:, :H] + pre_rec[:, :H])
    z = sig(pre_in[:, H:2 * H] + pre_rec[:, H:2 * H])
    rec_h = pre_rec[:, 2 * H:]
    cand = np.tanh(pre_in[:, 2 * H:] + r * rec_h)

    # h = (1 - z) h_prev + z cand
    d_cand = dh_next * z
    d_z = dh_next * (cand - h_prev)
    d_a_cand = d_cand * (1 - cand ** 2)
    d_r = d_a_cand * rec_h
    d_rec_h = d_a_cand * r

    d_pre_in = np.zeros_like(pre_in)
    d_pre_in[:, :H] = d_r * r * (1 - r)
    d_pre_in[:, H:2 * H] = d_z * z * (1 - z)
    d_pre_in[:, 2 * H:] = d_a_cand
    d_pre_rec = d_pre_in.copy()
    d_pre_rec[:, 2 * H:] = d_rec_h

    db = d_pre_in.sum(0)
    dU = d_pre_in.T @ x
    dW = d_pre_rec.T @ h_prev
    dx = d_pre_in @ U
    dh_prev = d_pre_rec @ W + (1 - z) * dh_next
    return dx, dh_prev, dU, dW, db
