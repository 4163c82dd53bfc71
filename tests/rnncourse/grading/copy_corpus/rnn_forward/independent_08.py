"""rnn_forward: while loop, bias broadcast first, matmul."""
import numpy as np


def rnn_forward(X, h0, U, W, b):
    n_seq, length = X.shape[0], X.shape[1]
    hidden = W.shape[0]
    Hs = np.empty((n_seq, length, hidden), dtype=X.dtype)
    h = h0.copy()
    t = 0
    while t < length:
        a = b + np.matmul(h, W.T)
        a += np.matmul(X[:, t], U.T)
        h = np.tanh(a)
        Hs[:, t] = h
        t += 1
    return Hs
