import numpy as np


def _gate(pre_activation):
    return np.exp(-np.logaddexp(0.0, -pre_activation))


def peephole_lstm_step_forward(x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    H = C_prev.shape[1]
    z = np.concatenate([x, h_prev], axis=1) @ np.concatenate([U, W], axis=1).T + b
    blocks = {"i": z[:, :H], "f": z[:, H:2 * H], "o": z[:, 2 * H:3 * H], "c": z[:, 3 * H:]}
    i = _gate(blocks["i"] + pi_i * C_prev)
    f = _gate(blocks["f"] + pi_f * C_prev)
    c_new = f * C_prev + i * np.tanh(blocks["c"])
    # only now can the output gate be computed
    o = _gate(blocks["o"] + pi_omega * c_new)
    h_new = o * np.tanh(c_new)
    return h_new, c_new
