"""leaky_rnn_forward in column form (H, N), gamma as a column."""
import numpy as np


def leaky_rnn_forward(X, h0, U, W, b, gamma):
    H = W.shape[0]
    rate = (1.0 / np.asarray(gamma, dtype=float)) * np.ones(H)
    rate = rate[:, None]
    h = h0.T
    cols = []
    for t in range(X.shape[1]):
        h = (1 - rate) * h + rate * np.tanh(W @ h + U @ X[:, t].T + b[:, None])
        cols.append(h.T)
    return np.array(cols).transpose(1, 0, 2).reshape(X.shape[0], X.shape[1], H)
