"""gradient_norms_through_time via column vectors: W^T diag(1 - h^2) g for each example."""
import numpy as np


def gradient_norms_through_time(dHs, X, h0, Hs, U, W):
    N, T, H = dHs.shape
    G = np.zeros((H, N))
    norms = np.zeros((N, T))
    for t in range(T - 1, -1, -1):
        G = dHs[:, t].T + G
        norms[:, t] = np.sqrt((G ** 2).sum(axis=0))
        G = W.T @ ((1.0 - Hs[:, t].T ** 2) * G)
    return norms
