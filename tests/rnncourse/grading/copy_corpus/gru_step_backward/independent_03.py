import numpy as np


def _gru_forward_parts(x, h_prev, U, W, b):
    H = h_prev.shape[1]
    ax = x.dot(U.T) + b
    ah = h_prev.dot(W.T)
    sg = 1.0 / (1.0 + np.exp(-(ax[:, :2 * H] + ah[:, :2 * H])))
    parts = {"r": sg[:, :H], "z": sg[:, H:], "g": ah[:, 2 * H:]}
    parts["ht"] = np.tanh(ax[:, 2 * H:] + parts["r"] * parts["g"])
    return parts


def gru_step_backward(dh_next, x, h_prev, U, W, b):
    p = _gru_forward_parts(x, h_prev, U, W, b)
    r, z, g, ht = p["r"], p["z"], p["g"], p["ht"]
    dz_pre = dh_next * (ht - h_prev) * z * (1.0 - z)
    dht_pre = dh_next * z * (1.0 - ht ** 2)
    dr_pre = dht_pre * g * r * (1.0 - r)
    grad_input_side = np.hstack((dr_pre, dz_pre, dht_pre))
    grad_recurrent_side = np.hstack((dr_pre, dz_pre, r * dht_pre))
    out = {
        "dx": grad_input_side.dot(U),
        "dh_prev": (1.0 - z) * dh_next + grad_recurrent_side.dot(W),
        "dU": grad_input_side.T.dot(x),
        "dW": grad_recurrent_side.T.dot(h_prev),
        "db": grad_input_side.sum(axis=0),
    }
    return out["dx"], out["dh_prev"], out["dU"], out["dW"], out["db"]
