"""leaky_rnn_backward: recover the tanh candidate from the states, then BPTT with two paths."""
import numpy as np


def leaky_rnn_backward(dHs, X, h0, Hs, U, W, gamma):
    alpha = 1.0 / np.asarray(gamma, dtype=float)
    N, T, D = X.shape
    dX = np.zeros_like(X)
    dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros(W.shape[0])
    dh = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        prev = h0 if t == 0 else Hs[:, t - 1]
        cand = (Hs[:, t] - (1 - alpha) * prev) / alpha
        total = dHs[:, t] + dh
        dz = total * alpha * (1 - cand ** 2)
        dX[:, t] = dz @ U
        dU += dz.T @ X[:, t]
        dW += dz.T @ prev
        db += dz.sum(axis=0)
        dh = (1 - alpha) * total + dz @ W
    return dX, dh, dU, dW, db
