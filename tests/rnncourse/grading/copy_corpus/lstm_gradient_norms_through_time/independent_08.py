import numpy as np


def lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b):
    H = W.shape[1]
    a = U @ x.T + W @ h_prev.T + b[:, None]          # (4H, N)
    i = 1 / (1 + np.exp(-a[:H]))
    f = 1 / (1 + np.exp(-a[H:2 * H]))
    o = 1 / (1 + np.exp(-a[2 * H:3 * H]))
    g = np.tanh(a[3 * H:])
    Cp, dh = C_prev.T, dh_next.T
    tc = np.tanh(f * Cp + i * g)
    dC = dC_next.T + dh * o * (1 - tc * tc)
    da = np.vstack([dC * g * i * (1 - i), dC * Cp * f * (1 - f), dh * tc * o * (1 - o), dC * i * (1 - g * g)])
    return ((U.T @ da).T, (W.T @ da).T, (dC * f).T, da @ x, da @ h_prev, da.sum(axis=1))


def lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b):
    N, T, H = Hs.shape
    norm_h = np.empty((N, T))
    norm_C = np.empty((N, T))
    later_h = np.zeros_like(h0)
    later_C = np.zeros_like(C0)
    for k in range(T):
        t = T - 1 - k
        x_t = X[:, t]
        hp = h0 if t == 0 else Hs[:, t - 1]
        Cp = C0 if t == 0 else Cs[:, t - 1]
        dh_t = later_h + dHs[:, t]
        a_out = hp @ W[2 * H:3 * H].T + x_t @ U[2 * H:3 * H].T + b[2 * H:3 * H]
        omega = 1 / (1 + np.exp(-a_out))
        dC_t = later_C + omega * (1 - np.tanh(Cs[:, t]) ** 2) * dh_t
        norm_h[:, t] = np.sqrt(np.sum(dh_t * dh_t, axis=1))
        norm_C[:, t] = np.sqrt(np.sum(dC_t * dC_t, axis=1))
        later_h, later_C = lstm_step_backward(dh_t, later_C, x_t, hp, Cp, U, W, b)[1:3]
    return norm_h, norm_C
