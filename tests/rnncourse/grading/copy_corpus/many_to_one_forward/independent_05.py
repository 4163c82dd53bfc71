"""many_to_one_forward with explicit loops and math.tanh everywhere."""
import math

import numpy as np


def many_to_one_forward(X, h0, U, W, b, V, c):
    N, T, D = X.shape
    H, K = W.shape[0], V.shape[0]
    logits = np.zeros((N, K))
    for n in range(N):
        h = list(h0[n])
        for t in range(T):
            new = []
            for i in range(H):
                z = b[i] + sum(U[i, d] * X[n, t, d] for d in range(D)) + sum(W[i, j] * h[j] for j in range(H))
                new.append(math.tanh(z))
            h = new
        for k in range(K):
            logits[n, k] = c[k] + sum(V[k, j] * h[j] for j in range(H))
    return logits
