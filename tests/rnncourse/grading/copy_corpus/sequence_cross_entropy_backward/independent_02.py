"""sequence_cross_entropy_backward with loops over batch and time."""
import numpy as np


def sequence_cross_entropy_backward(O, Y):
    N, T, K = O.shape
    dO = np.zeros_like(O)
    for n in range(N):
        for t in range(T):
            z = O[n, t] - np.max(O[n, t])
            prob = np.exp(z) / np.sum(np.exp(z))
            prob[Y[n, t]] -= 1.0
            dO[n, t] = prob / N
    return dO
