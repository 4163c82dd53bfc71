"""rnn_forward with every loop explicit: time, batch, units."""
import math

import numpy as np


def rnn_forward(X, h0, U, W, b):
    N, T, D = X.shape
    H = W.shape[0]
    result = np.zeros((N, T, H))
    for n in range(N):
        prev = [h0[n, j] for j in range(H)]
        for t in range(T):
            cur = []
            for i in range(H):
                s = b[i]
                for d in range(D):
                    s += U[i, d] * X[n, t, d]
                for j in range(H):
                    s += W[i, j] * prev[j]
                cur.append(math.tanh(s))
            result[n, t] = cur
            prev = cur
    return result
