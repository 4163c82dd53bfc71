import numpy as np


def _sig(v):
    return 0.5 * (1 + np.tanh(0.5 * v))


def lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b):
    a_i, a_f, a_o, a_c = np.split(x @ U.T + h_prev @ W.T + b, 4, axis=1)
    i, f, o, c = _sig(a_i), _sig(a_f), _sig(a_o), np.tanh(a_c)
    tanh_C = np.tanh(f * C_prev + i * c)
    dC = dC_next + dh_next * o * (1 - tanh_C ** 2)
    da = np.concatenate([dC * c * i * (1 - i), dC * C_prev * f * (1 - f),
                         dh_next * tanh_C * o * (1 - o), dC * i * (1 - c ** 2)], axis=1)
    return da @ U, da @ W, dC * f, da.T @ x, da.T @ h_prev, da.sum(0)


def lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b):
    N, T, H = dHs.shape
    norms = {"h": np.zeros((N, T)), "C": np.zeros((N, T))}
    back = {"h": np.zeros((N, H)), "C": np.zeros((N, H))}
    W_o, U_o, b_o = W[2 * H:3 * H], U[2 * H:3 * H], b[2 * H:3 * H]
    t = T - 1
    while t >= 0:
        prev_h = h0 if t == 0 else Hs[:, t - 1]
        prev_C = C0 if t == 0 else Cs[:, t - 1]
        total_h = dHs[:, t] + back["h"]
        omega = _sig(X[:, t] @ U_o.T + prev_h @ W_o.T + b_o)
        total_C = back["C"] + total_h * omega * (1 - np.tanh(Cs[:, t]) ** 2)
        norms["h"][:, t] = np.sqrt(np.einsum("nh,nh->n", total_h, total_h))
        norms["C"][:, t] = np.sqrt(np.einsum("nh,nh->n", total_C, total_C))
        # the step backward adds the path through h itself: give it only the later part on C
        out = lstm_step_backward(total_h, back["C"], X[:, t], prev_h, prev_C, U, W, b)
        back["h"], back["C"] = out[1], out[2]
        t -= 1
    return norms["h"], norms["C"]
