import numpy as np


def logistic(t):
    return np.exp(-np.logaddexp(0.0, -t))


def peephole_lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    p_in, p_keep, p_out, p_new = np.split(x @ U.T + h_prev @ W.T + b, 4, axis=1)
    keep = logistic(p_keep + pi_f * C_prev)
    write = logistic(p_in + pi_i * C_prev)
    content = np.tanh(p_new)
    cell = keep * C_prev + write * content
    show = logistic(p_out + pi_omega * cell)
    shown = np.tanh(cell)

    g_out = dh_next * shown * show * (1.0 - show)
    g_cell = dh_next * show * (1.0 - shown ** 2) + dC_next + pi_omega * g_out
    g_keep = g_cell * C_prev * keep * (1.0 - keep)
    g_write = g_cell * content * write * (1.0 - write)
    g_new = g_cell * write * (1.0 - content ** 2)

    parts = [g_write, g_keep, g_out, g_new]
    stacked = np.concatenate(parts, axis=1)
    d_old_cell = keep * g_cell + pi_f * g_keep + pi_i * g_write
    peeps = [np.einsum("nh,nh->h", g, v) for g, v in ((g_write, C_prev), (g_keep, C_prev), (g_out, cell))]
    return (stacked @ U, stacked @ W, d_old_cell, np.concatenate([g.T @ x for g in parts]),
            np.concatenate([g.T @ h_prev for g in parts]), stacked.sum(axis=0), *peeps)
