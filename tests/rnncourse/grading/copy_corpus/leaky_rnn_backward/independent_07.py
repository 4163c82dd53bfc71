"""leaky_rnn_backward by recursion from the first step, accumulators in a dict."""
import numpy as np


def leaky_rnn_backward(dHs, X, h0, Hs, U, W, gamma):
    a = 1.0 / np.asarray(gamma, dtype=float)
    T = X.shape[1]
    dX = np.zeros(X.shape)
    acc = {"U": np.zeros(U.shape), "W": np.zeros(W.shape), "b": np.zeros(W.shape[0])}

    def grad_before(t):
        # dL/d(state before step t), with everything from step t on
        if t == T:
            return np.zeros(h0.shape)
        total = dHs[:, t] + grad_before(t + 1)
        prev = h0 if t == 0 else Hs[:, t - 1]
        c = (Hs[:, t] - (1 - a) * prev) / a
        dz = a * (1 - c ** 2) * total
        acc["U"] += dz.T @ X[:, t]
        acc["W"] += dz.T @ prev
        acc["b"] += dz.sum(axis=0)
        dX[:, t] = dz @ U
        return (1 - a) * total + dz @ W

    dh0 = grad_before(0)
    return dX, dh0, acc["U"], acc["W"], acc["b"]
