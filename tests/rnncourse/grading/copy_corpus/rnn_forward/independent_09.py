"""rnn_forward with per-example loops and matrix-vector products."""
import numpy as np


def rnn_forward(X, h0, U, W, b):
    out = np.zeros(X.shape[:2] + (len(b),))
    for i in range(len(X)):
        h = h0[i]
        for t in range(X.shape[1]):
            h = np.tanh(U.dot(X[i, t]) + W.dot(h) + b)
            out[i, t] = h
    return out
