"""leaky_rnn_forward per sequence with matrix-vector products."""
import numpy as np


def leaky_rnn_forward(X, h0, U, W, b, gamma):
    a = 1.0 / np.asarray(gamma, dtype=float)
    N, T, _ = X.shape
    Hs = np.zeros((N, T, W.shape[0]))
    for n in range(N):
        h = h0[n].copy()
        for t in range(T):
            h = (1.0 - a) * h + a * np.tanh(W.dot(h) + U.dot(X[n, t]) + b)
            Hs[n, t] = h
    return Hs
