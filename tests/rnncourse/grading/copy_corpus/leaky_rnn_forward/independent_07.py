"""leaky_rnn_forward: a while loop, separate named terms, matmul."""
import numpy as np


def leaky_rnn_forward(X, h0, U, W, b, gamma):
    n_steps = X.shape[1]
    tau = np.asarray(gamma, dtype=float)
    result = np.empty((X.shape[0], n_steps, W.shape[0]))
    prev = h0.copy()
    t = 0
    while t < n_steps:
        recurrent = np.matmul(prev, W.T)
        inp = np.matmul(X[:, t], U.T)
        target = np.tanh(recurrent + inp + b)
        prev = prev - prev / tau + target / tau
        result[:, t] = prev
        t += 1
    return result
