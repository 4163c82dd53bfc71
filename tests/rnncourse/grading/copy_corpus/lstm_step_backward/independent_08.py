import numpy as np


def _s(t):
    return 1.0 / (1.0 + np.exp(-t))


def _dtanh(y):
    return 1.0 - y * y


def _dsig(y):
    return y * (1.0 - y)


def lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b):
    n_hidden = h_prev.shape[1]
    acts = np.split(x @ U.T + h_prev @ W.T + b, 4, axis=1)
    ig, fg, og = (_s(v) for v in acts[:3])
    cc = np.tanh(acts[3])
    cell = fg * C_prev + ig * cc
    tcell = np.tanh(cell)
    assert tcell.shape[1] == n_hidden

    d_cell = dC_next + dh_next * og * _dtanh(tcell)
    d_og = dh_next * tcell
    d_ig = d_cell * cc
    d_fg = d_cell * C_prev
    d_cc = d_cell * ig
    d_act = np.concatenate([d_ig * _dsig(ig), d_fg * _dsig(fg), d_og * _dsig(og), d_cc * _dtanh(cc)], axis=1)

    return (d_act @ U, d_act @ W, d_cell * fg,
            d_act.T @ x, d_act.T @ h_prev, d_act.sum(axis=0))
