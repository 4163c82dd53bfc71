"""many_to_one_forward: run the recurrence, keep only the last state, one output layer."""
import numpy as np


def many_to_one_forward(X, h0, U, W, b, V, c):
    h = h0
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
    return h @ V.T + c
