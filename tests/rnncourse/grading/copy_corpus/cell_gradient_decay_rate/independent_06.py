import numpy as np


def _sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def _lstm_forward(X, h0, C0, U, W, b):
    N, T, _ = X.shape
    H = h0.shape[1]
    Hs = np.empty((N, T, H))
    Cs = np.empty((N, T, H))
    h, c = h0, C0
    for t in range(T):
        z = X[:, t] @ U.T + h @ W.T + b
        c = _sig(z[:, H:2 * H]) * c + _sig(z[:, :H]) * np.tanh(z[:, 3 * H:])
        h = _sig(z[:, 2 * H:3 * H]) * np.tanh(c)
        Hs[:, t], Cs[:, t] = h, c
    return Hs, Cs


def lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b):
    N, T, H = Hs.shape
    Hp = np.concatenate([h0[:, None], Hs[:, :-1]], axis=1)
    Cp = np.concatenate([C0[:, None], Cs[:, :-1]], axis=1)
    Z = X @ U.T + Hp @ W.T + b
    I, F, O = _sig(Z[..., :H]), _sig(Z[..., H:2 * H]), _sig(Z[..., 2 * H:3 * H])
    G, TC = np.tanh(Z[..., 3 * H:]), np.tanh(Cs)
    out_h, out_C = np.zeros((N, T)), np.zeros((N, T))
    bh, bc = np.zeros((N, H)), np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        dh = dHs[:, t] + bh
        dc = bc + dh * O[:, t] * (1 - TC[:, t] ** 2)
        out_h[:, t], out_C[:, t] = np.linalg.norm(dh, axis=1), np.linalg.norm(dc, axis=1)
        i, f, o, g = I[:, t], F[:, t], O[:, t], G[:, t]
        da = np.concatenate([dc * g * i * (1 - i), dc * Cp[:, t] * f * (1 - f),
                             dh * TC[:, t] * o * (1 - o), dc * i * (1 - g ** 2)], axis=1)
        bh, bc = da @ W, dc * F[:, t]
    return out_h, out_C


def cell_gradient_decay_rate(X, h0, C0, U, W, b):
    T = X.shape[1]
    H = h0.shape[1]
    Hs, Cs = _lstm_forward(X, h0, C0, U, W, b)
    dHs = np.zeros_like(Hs)
    dHs[:, -1, :] = 1.0
    C_norms = lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b)[1]
    y = np.flip(np.mean(np.log(C_norms), axis=0))
    x = np.arange(T, dtype=np.float64)
    n = float(T)
    slope = (n * np.sum(x * y) - np.sum(x) * np.sum(y)) / (n * np.sum(x * x) - np.sum(x) ** 2)
    f_gates = _sig(X[:, 1:] @ U[H:2 * H].T + Hs[:, :-1] @ W[H:2 * H].T + b[H:2 * H])
    return float(slope), float(np.log(f_gates).mean())
