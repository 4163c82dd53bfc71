import numpy as np


def _forward_with_cache(x, h_prev, C_prev, U, W, b):
    H = h_prev.shape[1]
    a = b + h_prev @ W.T + x @ U.T
    s = 1.0 / (1.0 + np.exp(-a[:, :3 * H]))
    cache = {
        "i": s[:, :H], "f": s[:, H:2 * H], "omega": s[:, 2 * H:],
        "C_tilde": np.tanh(a[:, 3 * H:]),
    }
    cache["C"] = cache["f"] * C_prev + cache["i"] * cache["C_tilde"]
    cache["tanh_C"] = np.tanh(cache["C"])
    return cache


def lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b):
    c = _forward_with_cache(x, h_prev, C_prev, U, W, b)
    dC = dC_next + dh_next * c["omega"] * (1.0 - c["tanh_C"] ** 2)
    d_i = dC * c["C_tilde"] * c["i"] * (1.0 - c["i"])
    d_f = dC * C_prev * c["f"] * (1.0 - c["f"])
    d_omega = dh_next * c["tanh_C"] * c["omega"] * (1.0 - c["omega"])
    d_tilde = dC * c["i"] * (1.0 - c["C_tilde"] ** 2)
    da = np.concatenate((d_i, d_f, d_omega, d_tilde), axis=1)
    grads = {
        "x": da.dot(U),
        "h_prev": da.dot(W),
        "C_prev": dC * c["f"],
        "U": da.T.dot(x),
        "W": da.T.dot(h_prev),
        "b": np.sum(da, axis=0),
    }
    return grads["x"], grads["h_prev"], grads["C_prev"], grads["U"], grads["W"], grads["b"]
