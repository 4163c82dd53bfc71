"""many_to_one_forward: a helper for the final state, then the readout."""
import numpy as np


def final_state(X, h0, U, W, b):
    h = h0
    for t in range(X.shape[1]):
        h = np.tanh(np.matmul(h, W.T) + np.matmul(X[:, t], U.T) + b)
    return h


def many_to_one_forward(X, h0, U, W, b, V, c):
    """The logits read from the state after the last step."""
    h_T = final_state(X, h0, U, W, b)
    o = np.matmul(h_T, V.T)
    o += c
    return o
