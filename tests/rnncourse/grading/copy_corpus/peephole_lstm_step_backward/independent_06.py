import numpy as np


def peephole_lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    H = h_prev.shape[1]
    sig = lambda v: 0.5 * (1 + np.tanh(v / 2))  # noqa: E731
    # recompute the forward step; the peepholes enter the gates' pre-activations
    z = np.dot(x, U.T) + np.dot(h_prev, W.T) + b
    z[:, :H] += pi_i * C_prev
    z[:, H:2 * H] += pi_f * C_prev
    gi, gf = sig(z[:, :H]), sig(z[:, H:2 * H])
    gc = np.tanh(z[:, 3 * H:])
    c_new = gf * C_prev + gi * gc
    z[:, 2 * H:3 * H] += pi_omega * c_new
    go = sig(z[:, 2 * H:3 * H])
    tanh_c = np.tanh(c_new)

    dz = np.zeros_like(z)
    dz[:, 2 * H:3 * H] = dh_next * tanh_c * go * (1 - go)
    dc_total = dh_next * go * (1 - tanh_c ** 2) + dC_next + dz[:, 2 * H:3 * H] * pi_omega
    dz[:, :H] = dc_total * gc * gi * (1 - gi)
    dz[:, H:2 * H] = dc_total * C_prev * gf * (1 - gf)
    dz[:, 3 * H:] = dc_total * gi * (1 - gc ** 2)

    dC_prev = gf * dc_total + pi_i * dz[:, :H] + pi_f * dz[:, H:2 * H]
    dpi_i = (dz[:, :H] * C_prev).sum(0)
    dpi_f = (dz[:, H:2 * H] * C_prev).sum(0)
    dpi_omega = (dz[:, 2 * H:3 * H] * c_new).sum(0)
    db = dz.sum(0)
    dW = dz.T @ h_prev
    dU = dz.T @ x
    dh_prev = dz @ W
    dx = dz @ U
    return dx, dh_prev, dC_prev, dU, dW, db, dpi_i, dpi_f, dpi_omega
