import numpy as np


def sigm(t):
    return np.exp(-np.logaddexp(0.0, -t))


def lstm_step_forward(x, h_prev, C_prev, U, W, b):
    H = h_prev.shape[1]
    a = np.dot(x, U.T) + np.dot(h_prev, W.T) + b
    C_next = sigm(a[:, H:2 * H]) * C_prev + sigm(a[:, :H]) * np.tanh(a[:, 3 * H:])
    return sigm(a[:, 2 * H:3 * H]) * np.tanh(C_next), C_next


def lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b):
    H = h_prev.shape[1]
    a = np.dot(x, U.T) + np.dot(h_prev, W.T) + b
    i, f, o, g = sigm(a[:, :H]), sigm(a[:, H:2 * H]), sigm(a[:, 2 * H:3 * H]), np.tanh(a[:, 3 * H:])
    tc = np.tanh(f * C_prev + i * g)
    dC = dC_next + dh_next * o * (1 - tc ** 2)
    da = np.concatenate([dC * g * i * (1 - i), dC * C_prev * f * (1 - f),
                         dh_next * tc * o * (1 - o), dC * i * (1 - g ** 2)], axis=1)
    return np.dot(da, U), np.dot(da, W), dC * f, np.dot(da.T, x), np.dot(da.T, h_prev), da.sum(axis=0)


def lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b):
    N, T, H = Hs.shape
    hn, cn = np.zeros((N, T)), np.zeros((N, T))
    dh_l, dC_l = np.zeros((N, H)), np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        hp = h0 if t == 0 else Hs[:, t - 1]
        cp = C0 if t == 0 else Cs[:, t - 1]
        dh = dHs[:, t] + dh_l
        o = sigm(np.dot(X[:, t], U[2 * H:3 * H].T) + np.dot(hp, W[2 * H:3 * H].T) + b[2 * H:3 * H])
        dC = dC_l + dh * o * (1 - np.tanh(Cs[:, t]) ** 2)
        hn[:, t] = np.sqrt((dh * dh).sum(1))
        cn[:, t] = np.sqrt((dC * dC).sum(1))
        dh_l, dC_l = lstm_step_backward(dh, dC_l, X[:, t], hp, cp, U, W, b)[1:3]
    return hn, cn


def cell_gradient_decay_rate(X, h0, C0, U, W, b):
    N, T, _ = X.shape
    H = h0.shape[1]
    Hs = np.zeros((N, T, H))
    Cs = np.zeros((N, T, H))
    state = (h0, C0)
    for t in range(T):
        state = lstm_step_forward(X[:, t], state[0], state[1], U, W, b)
        Hs[:, t], Cs[:, t] = state
    seed = np.zeros((N, T, H))
    seed[:, T - 1] = 1.0
    Cn = lstm_gradient_norms_through_time(seed, X, h0, C0, Hs, Cs, U, W, b)[1]
    lags = T - 1 - np.arange(T)               # lag of step t
    slope, intercept = np.polyfit(lags, np.log(Cn).mean(0), deg=1)
    # log sigmoid(a) = -log(1 + exp(-a))
    a_f = np.dot(X[:, 1:], U[H:2 * H].T) + np.dot(Hs[:, :-1], W[H:2 * H].T) + b[H:2 * H]
    predicted = -np.logaddexp(0.0, -a_f).mean()
    return float(slope), float(predicted)
