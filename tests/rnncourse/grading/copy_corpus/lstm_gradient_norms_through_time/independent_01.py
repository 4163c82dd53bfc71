import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b):
    H = h_prev.shape[1]
    a = x @ U.T + h_prev @ W.T + b
    i, f, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2 * H]), sigmoid(a[:, 2 * H:3 * H])
    g = np.tanh(a[:, 3 * H:])
    C = f * C_prev + i * g
    tC = np.tanh(C)
    dC = dC_next + dh_next * o * (1 - tC ** 2)
    da = np.hstack([dC * g * i * (1 - i), dC * C_prev * f * (1 - f),
                    dh_next * tC * o * (1 - o), dC * i * (1 - g ** 2)])
    return da @ U, da @ W, dC * f, da.T @ x, da.T @ h_prev, da.sum(axis=0)


def lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b):
    N, T, H = Hs.shape
    h_norms = np.zeros((N, T))
    C_norms = np.zeros((N, T))
    dh_from_later = np.zeros((N, H))
    dC_from_later = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        if t > 0:
            h_prev, C_prev = Hs[:, t - 1], Cs[:, t - 1]
        else:
            h_prev, C_prev = h0, C0
        dh = dHs[:, t] + dh_from_later
        o = sigmoid(X[:, t] @ U[2 * H:3 * H].T + h_prev @ W[2 * H:3 * H].T + b[2 * H:3 * H])
        dC = dC_from_later + dh * o * (1 - np.tanh(Cs[:, t]) ** 2)
        h_norms[:, t] = np.linalg.norm(dh, axis=1)
        C_norms[:, t] = np.linalg.norm(dC, axis=1)
        _, dh_from_later, dC_from_later, _, _, _ = lstm_step_backward(
            dh, dC_from_later, X[:, t], h_prev, C_prev, U, W, b)
    return h_norms, C_norms
