import numpy as np


def cell_gradient_decay_rate(X, h0, C0, U, W, b):
    N, T, _ = X.shape
    H = h0.shape[1]
    sig = lambda z: 1.0 / (1.0 + np.exp(-z))  # noqa: E731

    h, C = h0, C0
    cache = []
    log_f = []
    for t in range(T):
        a = X[:, t] @ U.T + h @ W.T + b
        i, f, o = sig(a[:, :H]), sig(a[:, H:2 * H]), sig(a[:, 2 * H:3 * H])
        g = np.tanh(a[:, 3 * H:])
        C_prev = C
        C = f * C_prev + i * g
        h = o * np.tanh(C)
        cache.append((i, f, o, g, C_prev, C))
        if t >= 1:
            log_f.append(np.log(f))

    norms = []
    dh_in, dC_in = np.zeros((N, H)), np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        i, f, o, g, C_prev, C_t = cache[t]
        dh = dh_in + (np.ones((N, H)) if t == T - 1 else 0)
        tc = np.tanh(C_t)
        dC = dC_in + dh * o * (1 - tc ** 2)
        norms.append(np.linalg.norm(dC, axis=1))        # appended in order of the lag
        da = np.hstack([dC * g * i * (1 - i), dC * C_prev * f * (1 - f), dh * tc * o * (1 - o),
                        dC * i * (1 - g ** 2)])
        dh_in, dC_in = da @ W, dC * f

    y = np.mean(np.log(np.array(norms)), axis=1)       # (T,), lag 0 first
    lags = np.arange(T)
    measured = np.cov(lags, y, bias=True)[0, 1] / np.var(lags)
    predicted = np.mean(np.array(log_f))
    return float(measured), float(predicted)
