"""sequence_cross_entropy_backward with pure-Python loops over every entry."""
import math

import numpy as np


def sequence_cross_entropy_backward(O, Y):
    N, T, K = O.shape
    out = np.empty((N, T, K))
    for n in range(N):
        for t in range(T):
            top = max(O[n, t, k] for k in range(K))
            ex = [math.exp(O[n, t, k] - top) for k in range(K)]
            Z = sum(ex)
            for k in range(K):
                out[n, t, k] = (ex[k] / Z - (1.0 if k == Y[n, t] else 0.0)) / N
    return out
