"""leaky_rnn_backward: recompute nothing from X; lists of per-step deltas, sums at the end."""
import numpy as np


def leaky_rnn_backward(dHs, X, h0, Hs, U, W, gamma):
    gam = np.asarray(gamma, dtype=float)
    T = X.shape[1]
    before = [h0] + [Hs[:, t] for t in range(T - 1)]
    deltas = [None] * T
    flow = np.zeros_like(h0, dtype=float)
    for t in range(T - 1, -1, -1):
        total = flow + dHs[:, t]
        tanh_out = gam * (Hs[:, t] - before[t]) + before[t]
        deltas[t] = total * (1.0 - tanh_out ** 2) / gam
        flow = total * (gam - 1.0) / gam + np.matmul(deltas[t], W)
    dX = np.stack([np.matmul(d, U) for d in deltas], axis=1)
    dU = sum(np.matmul(deltas[t].T, X[:, t]) for t in range(T))
    dW = sum(np.matmul(deltas[t].T, before[t]) for t in range(T))
    db = sum(d.sum(axis=0) for d in deltas)
    return dX, flow, dU, dW, db
