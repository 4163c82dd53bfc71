"""many_to_one_forward one sequence at a time, column-vector algebra."""
import numpy as np


def many_to_one_forward(X, h0, U, W, b, V, c):
    N = X.shape[0]
    o = np.zeros((N, V.shape[0]))
    for n in range(N):
        h = h0[n]
        for x_t in X[n]:
            h = np.tanh(b + W.dot(h) + U.dot(x_t))
        o[n] = c + V.dot(h)
    return o
