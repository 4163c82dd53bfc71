"""rnn_backward with helpers for the tanh derivative and for one step's parameter gradients."""
import numpy as np


def dtanh(y):
    return 1 - y ** 2


def param_grads(delta, x, h_prev):
    return delta.T @ x, delta.T @ h_prev, delta.sum(0)


def rnn_backward(dHs, X, h0, Hs, U, W):
    """BPTT: walk the steps from last to first, the gradient on each state carried back."""
    dX = np.zeros(X.shape)
    dU, dW, db = 0.0 * U, 0.0 * W, np.zeros(W.shape[0])
    dh = np.zeros(h0.shape)
    for t in range(X.shape[1])[::-1]:
        delta = dtanh(Hs[:, t]) * (dh + dHs[:, t])
        gU, gW, gb = param_grads(delta, X[:, t], Hs[:, t - 1] if t > 0 else h0)
        dU, dW, db = dU + gU, dW + gW, db + gb
        dX[:, t], dh = delta @ U, delta @ W
    return dX, dh, dU, dW, db
