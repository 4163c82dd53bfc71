"""leaky_rnn_forward: alpha = 1/gamma, a convex mix of the old state and the tanh candidate."""
import numpy as np


def leaky_rnn_forward(X, h0, U, W, b, gamma):
    alpha = 1.0 / np.asarray(gamma, dtype=float)
    N, T, _ = X.shape
    Hs = np.zeros((N, T, W.shape[0]))
    h = h0
    for t in range(T):
        cand = np.tanh(X[:, t] @ U.T + h @ W.T + b)
        h = (1 - alpha) * h + alpha * cand
        Hs[:, t] = h
    return Hs
