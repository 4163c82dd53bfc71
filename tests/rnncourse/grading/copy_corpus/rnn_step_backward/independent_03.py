"""rnn_step_backward with loops over the examples, outer products per example."""
import numpy as np


def rnn_step_backward(dh, x, h_prev, h, U, W):
    N = dh.shape[0]
    dx = np.zeros(x.shape)
    dh_prev = np.zeros(h_prev.shape)
    dU = np.zeros(U.shape)
    dW = np.zeros(W.shape)
    db = np.zeros(W.shape[0])
    for n in range(N):
        delta = dh[n] * (1.0 - h[n] ** 2)
        dx[n] = U.T @ delta
        dh_prev[n] = W.T @ delta
        dU += np.outer(delta, x[n])
        dW += np.outer(delta, h_prev[n])
        db += delta
    return dx, dh_prev, dU, dW, db
