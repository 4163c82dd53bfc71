"""rnn_forward: a nested step closure, the states collected in a list, one stack at the end."""
import numpy as np


def rnn_forward(X, h0, U, W, b):
    def step(h, x):
        return np.tanh(b + h @ W.T + x @ U.T)

    states = [h0]
    for x in np.swapaxes(X, 0, 1):
        states.append(step(states[-1], x))
    if len(states) == 1:
        return np.zeros((X.shape[0], 0, W.shape[0]))
    return np.stack(states[1:], 1)
