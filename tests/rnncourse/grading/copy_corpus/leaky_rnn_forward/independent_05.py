"""leaky_rnn_forward using a vanilla step helper and the leak on top of it."""
import numpy as np


def rnn_step_forward(x, h_prev, U, W, b):
    return np.tanh(x @ U.T + h_prev @ W.T + b)


def leaky_rnn_forward(X, h0, U, W, b, gamma):
    gamma = np.asarray(gamma, dtype=float)
    Hs = np.zeros((X.shape[0], X.shape[1], len(b)))
    h = h0
    for t in range(X.shape[1]):
        h = (1 - 1 / gamma) * h + rnn_step_forward(X[:, t], h, U, W, b) / gamma
        Hs[:, t] = h
    return Hs
