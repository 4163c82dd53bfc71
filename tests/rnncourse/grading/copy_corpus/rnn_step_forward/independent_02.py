"""rnn_step_forward with loops over examples and units and math.tanh."""
import math

import numpy as np


def rnn_step_forward(x, h_prev, U, W, b):
    N, D = x.shape
    H = W.shape[0]
    h = np.zeros((N, H))
    for n in range(N):
        for i in range(H):
            a = b[i]
            for d in range(D):
                a += U[i, d] * x[n, d]
            for j in range(H):
                a += W[i, j] * h_prev[n, j]
            h[n, i] = math.tanh(a)
    return h
