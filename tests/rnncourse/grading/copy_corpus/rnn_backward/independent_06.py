"""rnn_backward: the states before each step built first, then a loop that only keeps lists."""
import numpy as np


def rnn_backward(dHs, X, h0, Hs, U, W):
    T = X.shape[1]
    prevs = [h0] + [Hs[:, t] for t in range(T - 1)]
    d_inputs = [None] * T
    d_pre = [None] * T
    running = np.zeros_like(h0, dtype=float)
    for t in range(T - 1, -1, -1):
        d_pre[t] = (running + dHs[:, t]) * (1.0 - Hs[:, t]) * (1.0 + Hs[:, t])
        d_inputs[t] = np.matmul(d_pre[t], U)
        running = np.matmul(d_pre[t], W)
    dU = sum(np.matmul(d_pre[t].T, X[:, t]) for t in range(T))
    dW = sum(np.matmul(d_pre[t].T, prevs[t]) for t in range(T))
    db = sum(d_pre[t].sum(axis=0) for t in range(T))
    return np.stack(d_inputs, axis=1), running, dU, dW, db
