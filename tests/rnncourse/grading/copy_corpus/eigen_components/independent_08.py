"""eigen_components with pure-Python sums over the entries of each eigenvector."""
import numpy as np


def eigen_components(W, h0, t):
    lambdas, Q = np.linalg.eigh(W)
    H = W.shape[0]
    out = np.zeros((H, H))
    for i in range(H):
        dot = sum(Q[j, i] * h0[j] for j in range(H))
        factor = lambdas[i] ** t * dot
        for j in range(H):
            out[i, j] = factor * Q[j, i]
    return out
