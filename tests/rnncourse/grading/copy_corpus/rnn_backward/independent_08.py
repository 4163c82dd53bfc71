"""rnn_backward by recursion from the first step: returns the gradient on the state before it."""
import numpy as np


def rnn_backward(dHs, X, h0, Hs, U, W):
    T = X.shape[1]
    dX = np.zeros(X.shape)
    acc = {"U": np.zeros(U.shape), "W": np.zeros(W.shape), "b": np.zeros(W.shape[0])}

    def through(t):
        # the gradient on the state before step t (h0 for t = 0), from step t onwards
        if t == T:
            return np.zeros(h0.shape)
        total = dHs[:, t] + through(t + 1)
        g = total * (1.0 - Hs[:, t] ** 2)
        before = h0 if t == 0 else Hs[:, t - 1]
        acc["U"] += g.T @ X[:, t]
        acc["W"] += g.T @ before
        acc["b"] += g.sum(axis=0)
        dX[:, t] = g @ U
        return g @ W

    dh0 = through(0)
    return dX, dh0, acc["U"], acc["W"], acc["b"]
