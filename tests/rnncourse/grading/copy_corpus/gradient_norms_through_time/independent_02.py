"""gradient_norms_through_time with the batch of Jacobians and matrix-vector products per example."""
import numpy as np


def gradient_norms_through_time(dHs, X, h0, Hs, U, W):
    N, T, H = Hs.shape
    out = np.zeros((N, T))
    for n in range(N):
        total = dHs[n, T - 1].copy()
        out[n, T - 1] = np.sqrt(total @ total)
        for t in range(T - 2, -1, -1):
            J = np.diag(1 - Hs[n, t + 1] ** 2) @ W  # dh_{t+1} / dh_t
            total = dHs[n, t] + J.T @ total
            out[n, t] = np.sqrt(total @ total)
    return out
