import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_step_forward(x, h_prev, C_prev, U, W, b):
    H = h_prev.shape[1]
    a = x @ U.T + h_prev @ W.T + b
    C = sigmoid(a[:, H:2 * H]) * C_prev + sigmoid(a[:, :H]) * np.tanh(a[:, 3 * H:])
    return sigmoid(a[:, 2 * H:3 * H]) * np.tanh(C), C


def lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b):
    H = h_prev.shape[1]
    a = x @ U.T + h_prev @ W.T + b
    i, f, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2 * H]), sigmoid(a[:, 2 * H:3 * H])
    g = np.tanh(a[:, 3 * H:])
    tC = np.tanh(f * C_prev + i * g)
    dC = dC_next + dh_next * o * (1 - tC ** 2)
    da = np.hstack([dC * g * i * (1 - i), dC * C_prev * f * (1 - f),
                    dh_next * tC * o * (1 - o), dC * i * (1 - g ** 2)])
    return da @ U, da @ W, dC * f, da.T @ x, da.T @ h_prev, da.sum(axis=0)


def lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b):
    N, T, H = Hs.shape
    h_norms, C_norms = np.zeros((N, T)), np.zeros((N, T))
    dh_rec, dC_rec = np.zeros((N, H)), np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        h_prev = Hs[:, t - 1] if t > 0 else h0
        C_prev = Cs[:, t - 1] if t > 0 else C0
        dh = dHs[:, t] + dh_rec
        o = sigmoid(X[:, t] @ U[2 * H:3 * H].T + h_prev @ W[2 * H:3 * H].T + b[2 * H:3 * H])
        dC = dC_rec + dh * o * (1 - np.tanh(Cs[:, t]) ** 2)
        h_norms[:, t] = np.linalg.norm(dh, axis=1)
        C_norms[:, t] = np.linalg.norm(dC, axis=1)
        _, dh_rec, dC_rec, _, _, _ = lstm_step_backward(dh, dC_rec, X[:, t], h_prev, C_prev, U, W, b)
    return h_norms, C_norms


def cell_gradient_decay_rate(X, h0, C0, U, W, b):
    N, T, _ = X.shape
    H = h0.shape[1]
    Hs, Cs = np.zeros((N, T, H)), np.zeros((N, T, H))
    h, C = h0, C0
    for t in range(T):
        h, C = lstm_step_forward(X[:, t], h, C, U, W, b)
        Hs[:, t], Cs[:, t] = h, C
    dHs = np.zeros((N, T, H))
    dHs[:, -1] = 1.0
    _, C_norms = lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b)
    lag = np.arange(T)
    y = np.log(C_norms[:, ::-1]).mean(axis=0)
    measured = np.polyfit(lag, y, 1)[0]
    f = sigmoid(X[:, 1:] @ U[H:2 * H].T + Hs[:, :-1] @ W[H:2 * H].T + b[H:2 * H])
    predicted = np.mean(np.log(f))
    return float(measured), float(predicted)
