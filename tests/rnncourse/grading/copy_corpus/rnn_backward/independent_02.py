"""rnn_backward on top of the notebook's rnn_step_backward (defined here)."""
import numpy as np


def rnn_step_backward(dh, x, h_prev, h, U, W):
    da = dh * (1 - h ** 2)
    return da @ U, da @ W, da.T @ x, da.T @ h_prev, da.sum(axis=0)


def rnn_backward(dHs, X, h0, Hs, U, W):
    T = X.shape[1]
    previous = np.concatenate([h0[:, None], Hs[:, :-1]], axis=1)  # the state before each step
    dX = np.zeros(X.shape)
    grads = [np.zeros(U.shape), np.zeros(W.shape), np.zeros(W.shape[0])]
    dh_next = np.zeros(h0.shape)
    for t in reversed(range(T)):
        dx, dh_next, dU, dW, db = rnn_step_backward(dHs[:, t] + dh_next, X[:, t], previous[:, t],
                                                    Hs[:, t], U, W)
        dX[:, t] = dx
        grads[0] += dU
        grads[1] += dW
        grads[2] += db
    return dX, dh_next, grads[0], grads[1], grads[2]
