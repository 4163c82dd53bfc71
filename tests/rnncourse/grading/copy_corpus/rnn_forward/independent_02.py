"""rnn_forward that calls the notebook's own step function (defined here too)."""
import numpy as np


def rnn_step_forward(x, h_prev, U, W, b):
    return np.tanh(x @ U.T + h_prev @ W.T + b)


def rnn_forward(X, h0, U, W, b):
    states = []
    h = h0
    for t in range(X.shape[1]):
        h = rnn_step_forward(X[:, t], h, U, W, b)
        states.append(h)
    return np.stack(states, axis=1)
