"""rnn_forward: a plain loop over the steps, writing each state into a preallocated array."""
import numpy as np


def rnn_forward(X, h0, U, W, b):
    N, T, D = X.shape
    Hs = np.zeros((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        h = np.tanh(X[:, t, :] @ U.T + h @ W.T + b)
        Hs[:, t, :] = h
    return Hs
