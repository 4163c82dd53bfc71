import numpy as np


def _sigmoid(v):
    return 0.5 * (1 + np.tanh(0.5 * v))


def lstm_step_forward(x, h_prev, C_prev, U, W, b):
    a_i, a_f, a_o, a_c = np.split(x @ U.T + h_prev @ W.T + b, 4, axis=1)
    C = _sigmoid(a_f) * C_prev + _sigmoid(a_i) * np.tanh(a_c)
    return _sigmoid(a_o) * np.tanh(C), C


def lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b):
    N, T, H = Hs.shape
    hn, cn = np.zeros((N, T)), np.zeros((N, T))
    gh, gc = np.zeros((N, H)), np.zeros((N, H))
    for t in reversed(range(T)):
        hp, cp = (Hs[:, t - 1], Cs[:, t - 1]) if t else (h0, C0)
        a_i, a_f, a_o, a_c = np.split(X[:, t] @ U.T + hp @ W.T + b, 4, axis=1)
        i, f, o, c = _sigmoid(a_i), _sigmoid(a_f), _sigmoid(a_o), np.tanh(a_c)
        tc = np.tanh(Cs[:, t])
        dh = dHs[:, t] + gh
        dC = gc + dh * o * (1 - tc ** 2)
        hn[:, t], cn[:, t] = np.linalg.norm(dh, axis=1), np.linalg.norm(dC, axis=1)
        da = np.concatenate([dC * c * i * (1 - i), dC * cp * f * (1 - f),
                             dh * tc * o * (1 - o), dC * i * (1 - c ** 2)], axis=1)
        gh, gc = da @ W, dC * f
    return hn, cn


def cell_gradient_decay_rate(X, h0, C0, U, W, b):
    N, T, _ = X.shape
    H = h0.shape[1]
    hs, cs = [], []
    h, C = h0, C0
    for t in range(T):
        h, C = lstm_step_forward(X[:, t], h, C, U, W, b)
        hs.append(h)
        cs.append(C)
    Hs, Cs = np.stack(hs, axis=1), np.stack(cs, axis=1)
    upstream = np.zeros_like(Hs)
    upstream[:, T - 1, :] = 1
    C_norms = lstm_gradient_norms_through_time(upstream, X, h0, C0, Hs, Cs, U, W, b)[1]
    mean_log = np.log(C_norms).mean(axis=0)[::-1]       # index = lag
    design = np.column_stack([np.arange(T), np.ones(T)])
    (slope, _), *_ = np.linalg.lstsq(design, mean_log, rcond=None)
    log_f = [np.log(_sigmoid(X[:, t] @ U[H:2 * H].T + hs[t - 1] @ W[H:2 * H].T + b[H:2 * H]))
             for t in range(1, T)]
    return float(slope), float(np.mean(log_f))
