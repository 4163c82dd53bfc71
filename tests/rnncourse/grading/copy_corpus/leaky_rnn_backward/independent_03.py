"""leaky_rnn_backward per sequence, column vectors and outer products."""
import numpy as np


def leaky_rnn_backward(dHs, X, h0, Hs, U, W, gamma):
    N, T, D = X.shape
    H = W.shape[0]
    inv = np.ones(H) / np.asarray(gamma, dtype=float)
    dX = np.zeros((N, T, D))
    dh0 = np.zeros((N, H))
    dU, dW, db = np.zeros((H, D)), np.zeros((H, H)), np.zeros(H)
    for n in range(N):
        carry = np.zeros(H)
        for t in range(T - 1, -1, -1):
            h_before = Hs[n, t - 1] if t > 0 else h0[n]
            s = (Hs[n, t] - (1 - inv) * h_before) / inv
            total = dHs[n, t] + carry
            delta = inv * (1 - s * s) * total
            dX[n, t] = U.T @ delta
            dU += np.outer(delta, X[n, t])
            dW += np.outer(delta, h_before)
            db += delta
            carry = (1 - inv) * total + W.T @ delta
        dh0[n] = carry
    return dX, dh0, dU, dW, db
