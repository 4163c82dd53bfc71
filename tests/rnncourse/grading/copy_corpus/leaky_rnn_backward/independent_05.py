"""leaky_rnn_backward, time-major, a while loop, np.dot everywhere."""
import numpy as np


def leaky_rnn_backward(dHs, X, h0, Hs, U, W, gamma):
    lam = 1.0 / np.asarray(gamma, dtype=float)
    xs, hs, ups = (np.swapaxes(a, 0, 1) for a in (X, Hs, dHs))
    gx = np.zeros(xs.shape)
    gU = np.zeros(U.shape)
    gW = np.zeros(W.shape)
    gb = np.zeros(W.shape[0])
    g = np.zeros(h0.shape)
    t = len(xs) - 1
    while t >= 0:
        earlier = hs[t - 1] if t > 0 else h0
        tanh_val = (hs[t] - earlier + lam * earlier) / lam
        g = g + ups[t]
        d = g * lam * (1.0 - tanh_val * tanh_val)
        gx[t] = np.dot(d, U)
        gU += np.dot(d.T, xs[t])
        gW += np.dot(d.T, earlier)
        gb += d.sum(0)
        g = g - lam * g + np.dot(d, W)
        t -= 1
    return np.swapaxes(gx, 0, 1), g, gU, gW, gb
