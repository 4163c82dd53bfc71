"""rnn_step_backward with every sum written as a Python loop."""
import numpy as np


def rnn_step_backward(dh, x, h_prev, h, U, W):
    N, D = x.shape
    H = W.shape[0]
    g = np.zeros((N, H))
    for n in range(N):
        for i in range(H):
            g[n, i] = dh[n, i] * (1.0 - h[n, i] * h[n, i])
    dx = np.zeros((N, D))
    dhp = np.zeros((N, H))
    dU = np.zeros((H, D))
    dW = np.zeros((H, H))
    db = np.zeros(H)
    for n in range(N):
        for i in range(H):
            db[i] += g[n, i]
            for d in range(D):
                dx[n, d] += g[n, i] * U[i, d]
                dU[i, d] += g[n, i] * x[n, d]
            for j in range(H):
                dhp[n, j] += g[n, i] * W[i, j]
                dW[i, j] += g[n, i] * h_prev[n, j]
    return dx, dhp, dU, dW, db
