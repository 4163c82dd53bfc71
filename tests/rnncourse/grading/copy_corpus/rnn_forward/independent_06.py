"""rnn_forward by recursion over the sequence length."""
import numpy as np


def rnn_forward(X, h0, U, W, b):
    if X.shape[1] == 0:
        return np.zeros((X.shape[0], 0, W.shape[0]))
    first = np.tanh(np.dot(X[:, 0], U.T) + np.dot(h0, W.T) + b)
    rest = rnn_forward(X[:, 1:], first, U, W, b)
    return np.concatenate([first[:, None, :], rest], axis=1)
