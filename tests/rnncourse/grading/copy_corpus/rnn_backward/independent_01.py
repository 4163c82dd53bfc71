"""rnn_backward: one backward loop, the step's gradients inline, the carry added to dHs."""
import numpy as np


def rnn_backward(dHs, X, h0, Hs, U, W):
    N, T, D = X.shape
    dX = np.zeros_like(X)
    dU = np.zeros_like(U)
    dW = np.zeros_like(W)
    db = np.zeros(W.shape[0])
    carry = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        prev = Hs[:, t - 1] if t > 0 else h0
        da = (dHs[:, t] + carry) * (1 - Hs[:, t] ** 2)
        dX[:, t] = da @ U
        dU += da.T @ X[:, t]
        dW += da.T @ prev
        db += da.sum(axis=0)
        carry = da @ W
    return dX, carry, dU, dW, db
