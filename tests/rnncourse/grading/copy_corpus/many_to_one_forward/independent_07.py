"""many_to_one_forward: recurrence in column form (H, N), transposed once at the end."""
import numpy as np


def many_to_one_forward(X, h0, U, W, b, V, c):
    Hc = h0.T.copy()
    bias = b[:, None]
    for t in range(X.shape[1]):
        Hc = np.tanh(U @ X[:, t].T + W @ Hc + bias)
    return (V @ Hc + c[:, None]).T
