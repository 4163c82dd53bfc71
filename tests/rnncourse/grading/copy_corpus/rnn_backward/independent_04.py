"""rnn_backward per sequence, matrix-vector products, column-vector math."""
import numpy as np


def rnn_backward(dHs, X, h0, Hs, U, W):
    N, T, D = X.shape
    H = W.shape[0]
    dX = np.zeros((N, T, D))
    dh0 = np.zeros((N, H))
    dU, dW, db = np.zeros((H, D)), np.zeros((H, H)), np.zeros(H)
    for n in range(N):
        g = np.zeros(H)
        for t in reversed(range(T)):
            h_before = Hs[n, t - 1] if t else h0[n]
            delta = (1.0 - Hs[n, t] ** 2) * (dHs[n, t] + g)
            dX[n, t] = U.T.dot(delta)
            dU += np.outer(delta, X[n, t])
            dW += np.outer(delta, h_before)
            db += delta
            g = W.T.dot(delta)
        dh0[n] = g
    return dX, dh0, dU, dW, db
