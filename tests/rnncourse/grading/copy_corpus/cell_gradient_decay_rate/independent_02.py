import numpy as np


def cell_gradient_decay_rate(X, h0, C0, U, W, b):
    """Measured and predicted decay rate of the cell gradient, everything written out here."""
    N, T, D = X.shape
    H = h0.shape[1]
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731

    # forward pass, keeping the gates and states of every step
    steps = []
    h, C = h0, C0
    for t in range(T):
        a = X[:, t] @ U.T + h @ W.T + b
        i, f, o = sig(a[:, :H]), sig(a[:, H:2 * H]), sig(a[:, 2 * H:3 * H])
        g = np.tanh(a[:, 3 * H:])
        C_new = f * C + i * g
        steps.append({"i": i, "f": f, "o": o, "g": g, "C_prev": C, "tC": np.tanh(C_new)})
        h, C = o * np.tanh(C_new), C_new

    # backward pass: a gradient of ones on the last hidden state only
    log_norms = np.zeros((N, T))
    dh_back = np.zeros((N, H))
    dC_back = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        s = steps[t]
        dh = dh_back + (1.0 if t == T - 1 else 0.0)
        dC = dC_back + dh * s["o"] * (1 - s["tC"] ** 2)
        log_norms[:, T - 1 - t] = np.log(np.sqrt(np.sum(dC ** 2, axis=1)))  # column = lag
        da = np.concatenate([dC * s["g"] * s["i"] * (1 - s["i"]), dC * s["C_prev"] * s["f"] * (1 - s["f"]),
                             dh * s["tC"] * s["o"] * (1 - s["o"]), dC * s["i"] * (1 - s["g"] ** 2)], axis=1)
        dh_back, dC_back = da @ W, dC * s["f"]

    y = log_norms.mean(axis=0)
    k = np.arange(T, dtype=float)
    slope = np.sum((k - k.mean()) * (y - y.mean())) / np.sum((k - k.mean()) ** 2)
    forget = np.stack([s["f"] for s in steps[1:]])
    return float(slope), float(np.log(forget).mean())
