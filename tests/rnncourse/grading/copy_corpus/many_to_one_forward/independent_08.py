"""many_to_one_forward: reversed-time recursion that returns the last state."""
import numpy as np


def many_to_one_forward(X, h0, U, W, b, V, c):
    def last(t):
        # the state after reading X[:, t]; t = -1 is h0
        if t < 0:
            return h0
        return np.tanh(X[:, t].dot(U.T) + last(t - 1).dot(W.T) + b)

    hT = last(X.shape[1] - 1)
    return hT.dot(V.T) + c
