import numpy as np


def lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b):
    H = h_prev.shape[1]
    pre = np.dot(x, U.T) + np.dot(h_prev, W.T) + b
    s = 1.0 / (1.0 + np.exp(-pre[:, :3 * H]))
    i, f, o = s[:, :H], s[:, H:2 * H], s[:, 2 * H:]
    g = np.tanh(pre[:, 3 * H:])
    tc = np.tanh(f * C_prev + i * g)
    dC = dC_next + dh_next * o * (1.0 - tc ** 2)
    dpre = np.zeros_like(pre)
    dpre[:, :H] = dC * g * i * (1.0 - i)
    dpre[:, H:2 * H] = dC * C_prev * f * (1.0 - f)
    dpre[:, 2 * H:3 * H] = dh_next * tc * o * (1.0 - o)
    dpre[:, 3 * H:] = dC * i * (1.0 - g ** 2)
    return dpre @ U, dpre @ W, dC * f, dpre.T @ x, dpre.T @ h_prev, dpre.sum(0)


def lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b):
    N, T, H = Hs.shape
    # store the total gradients first, take the norms at the end
    dH_total = np.zeros((N, T, H))
    dC_total = np.zeros((N, T, H))
    dh_next = np.zeros((N, H))
    dC_next = np.zeros((N, H))
    for t in reversed(range(T)):
        h_prev = Hs[:, t - 1] if t > 0 else h0
        C_prev = Cs[:, t - 1] if t > 0 else C0
        dH_total[:, t] = dHs[:, t] + dh_next
        a_o = X[:, t] @ U[2 * H:3 * H].T + h_prev @ W[2 * H:3 * H].T + b[2 * H:3 * H]
        o = 1.0 / (1.0 + np.exp(-a_o))
        dC_total[:, t] = dC_next + dH_total[:, t] * o * (1.0 - np.tanh(Cs[:, t]) ** 2)
        grads = lstm_step_backward(dH_total[:, t], dC_next, X[:, t], h_prev, C_prev, U, W, b)
        dh_next, dC_next = grads[1], grads[2]
    return np.linalg.norm(dH_total, axis=2), np.linalg.norm(dC_total, axis=2)
