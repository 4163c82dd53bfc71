"""leaky_rnn_forward with loops over examples, steps and units, gamma broadcast to one per unit."""
import math

import numpy as np


def leaky_rnn_forward(X, h0, U, W, b, gamma):
    N, T, D = X.shape
    H = W.shape[0]
    gam = np.broadcast_to(np.asarray(gamma, dtype=float), (H,))
    out = np.zeros((N, T, H))
    for n in range(N):
        h = list(h0[n])
        for t in range(T):
            new = []
            for i in range(H):
                a = b[i] + sum(U[i, d] * X[n, t, d] for d in range(D)) + sum(W[i, j] * h[j] for j in range(H))
                new.append((1 - 1 / gam[i]) * h[i] + math.tanh(a) / gam[i])
            h = new
            out[n, t] = h
    return out
