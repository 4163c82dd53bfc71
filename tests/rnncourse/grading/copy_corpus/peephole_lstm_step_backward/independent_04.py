import numpy as np


def _forward_with_cache(x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    H = h_prev.shape[1]
    a = b + h_prev @ W.T + x @ U.T
    c = {"i": 1.0 / (1.0 + np.exp(-(a[:, :H] + pi_i * C_prev))),
         "f": 1.0 / (1.0 + np.exp(-(a[:, H:2 * H] + pi_f * C_prev))),
         "C_tilde": np.tanh(a[:, 3 * H:])}
    c["C"] = c["f"] * C_prev + c["i"] * c["C_tilde"]
    c["omega"] = 1.0 / (1.0 + np.exp(-(a[:, 2 * H:3 * H] + pi_omega * c["C"])))
    c["tanh_C"] = np.tanh(c["C"])
    return c


def peephole_lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    c = _forward_with_cache(x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega)
    d_omega = dh_next * c["tanh_C"] * c["omega"] * (1.0 - c["omega"])
    dC = dC_next + dh_next * c["omega"] * (1.0 - c["tanh_C"] ** 2) + d_omega * pi_omega
    d_i = dC * c["C_tilde"] * c["i"] * (1.0 - c["i"])
    d_f = dC * C_prev * c["f"] * (1.0 - c["f"])
    d_tilde = dC * c["i"] * (1.0 - c["C_tilde"] ** 2)
    da = np.concatenate((d_i, d_f, d_omega, d_tilde), axis=1)
    grads = {
        "x": da.dot(U),
        "h_prev": da.dot(W),
        "C_prev": dC * c["f"] + d_i * pi_i + d_f * pi_f,
        "U": da.T.dot(x),
        "W": da.T.dot(h_prev),
        "b": np.sum(da, axis=0),
        "pi_i": np.sum(d_i * C_prev, axis=0),
        "pi_f": np.sum(d_f * C_prev, axis=0),
        "pi_omega": np.sum(d_omega * c["C"], axis=0),
    }
    order = ["x", "h_prev", "C_prev", "U", "W", "b", "pi_i", "pi_f", "pi_omega"]
    return tuple(grads[k] for k in order)
