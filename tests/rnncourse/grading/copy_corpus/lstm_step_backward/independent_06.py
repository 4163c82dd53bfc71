import numpy as np


def lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b):
    H = h_prev.shape[1]
    # gates computed again from the inputs (nothing cached by the forward step)
    z = np.dot(x, U.T) + np.dot(h_prev, W.T) + b
    sig = lambda v: 0.5 * (1 + np.tanh(v / 2))  # noqa: E731
    gi, gf, go = sig(z[:, :H]), sig(z[:, H:2 * H]), sig(z[:, 2 * H:3 * H])
    gc = np.tanh(z[:, 3 * H:])
    c_new = gf * C_prev + gi * gc
    tanh_c = np.tanh(c_new)

    # gradient through h = omega * tanh(C), added to the one handed back on C
    dc_total = dh_next * go * (1 - tanh_c ** 2) + dC_next

    dz = np.zeros_like(z)
    dz[:, :H] = dc_total * gc * gi * (1 - gi)
    dz[:, H:2 * H] = dc_total * C_prev * gf * (1 - gf)
    dz[:, 2 * H:3 * H] = dh_next * tanh_c * go * (1 - go)
    dz[:, 3 * H:] = dc_total * gi * (1 - gc ** 2)

    dC_prev = gf * dc_total
    db = dz.sum(0)
    dW = dz.T @ h_prev
    dU = dz.T @ x
    dh_prev = dz @ W
    dx = dz @ U
    return dx, dh_prev, dC_prev, dU, dW, db
