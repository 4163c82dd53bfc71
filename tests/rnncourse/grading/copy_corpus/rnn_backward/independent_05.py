"""rnn_backward: time-major views, a while loop counting down."""
import numpy as np


def rnn_backward(dHs, X, h0, Hs, U, W):
    xs = X.transpose(1, 0, 2)
    hs = Hs.transpose(1, 0, 2)
    upstream = dHs.transpose(1, 0, 2)
    grad_x = np.zeros(xs.shape)
    gU = np.zeros(U.shape)
    gW = np.zeros(W.shape)
    gb = np.zeros(len(W))
    dh = np.zeros(h0.shape)
    t = len(xs) - 1
    while t >= 0:
        total = upstream[t] + dh
        dpre = total * (1.0 - hs[t] * hs[t])
        h_before = h0 if t == 0 else hs[t - 1]
        gW += dpre.T.dot(h_before)
        gU += dpre.T.dot(xs[t])
        gb += dpre.sum(0)
        grad_x[t] = dpre.dot(U)
        dh = dpre.dot(W)
        t -= 1
    return grad_x.transpose(1, 0, 2), dh, gU, gW, gb
