"""esn_forecast with the readout from an SVD of the centred training states."""
import numpy as np


def esn_forecast(x, U, W, b, gamma, n_train, washout, mu):
    """One-step forecasts of the held-out part."""
    a = np.broadcast_to(1.0 / np.asarray(gamma, dtype=float), (W.shape[0],))
    r = np.zeros(W.shape[0])
    history = np.zeros((len(x), W.shape[0]))
    for i, xi in enumerate(x):
        r = r + a * (np.tanh(np.dot(W, r) + U[:, 0] * xi + b) - r)
        history[i] = r
    S = history[washout:n_train - 1]
    y = x[washout + 1:n_train]
    s_bar, y_bar = S.mean(axis=0), y.mean()
    u, sig, vt = np.linalg.svd(S - s_bar, full_matrices=False)
    v = vt.T @ ((sig / (sig ** 2 + mu)) * (u.T @ (y - y_bar)))
    return (history[n_train - 1:len(x) - 1] - s_bar) @ v + y_bar
