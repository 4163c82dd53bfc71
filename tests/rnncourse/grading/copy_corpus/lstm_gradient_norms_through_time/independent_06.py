import numpy as np


def _gates(x, h_prev, U, W, b):
    H = h_prev.shape[1]
    a = x @ U.T + h_prev @ W.T + b
    sg = 1 / (1 + np.exp(-a[:, :3 * H]))
    return sg[:, :H], sg[:, H:2 * H], sg[:, 2 * H:], np.tanh(a[:, 3 * H:])


def _back_one_step(dh_total, dC_total, gates, C_prev, C, W):
    """What step t hands back to h_{t-1} and C_{t-1}, given the totals on h_t and C_t."""
    i, f, o, g = gates
    tC = np.tanh(C)
    da = np.concatenate([dC_total * g * i * (1 - i), dC_total * C_prev * f * (1 - f),
                         dh_total * tC * o * (1 - o), dC_total * i * (1 - g * g)], axis=1)
    return da @ W, dC_total * f


def lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b):
    N, T, H = Hs.shape
    h_norms, C_norms = np.zeros((N, T)), np.zeros((N, T))
    rec_h, rec_C = np.zeros((N, H)), np.zeros((N, H))
    for t in range(T)[::-1]:
        h_prev, C_prev = (h0, C0) if t == 0 else (Hs[:, t - 1], Cs[:, t - 1])
        gates = _gates(X[:, t], h_prev, U, W, b)
        dh = dHs[:, t] + rec_h
        dC = rec_C + dh * gates[2] * (1 - np.tanh(Cs[:, t]) ** 2)
        h_norms[:, t] = np.linalg.norm(dh, axis=-1)
        C_norms[:, t] = np.linalg.norm(dC, axis=-1)
        rec_h, rec_C = _back_one_step(dh, dC, gates, C_prev, Cs[:, t], W)
    return h_norms, C_norms
