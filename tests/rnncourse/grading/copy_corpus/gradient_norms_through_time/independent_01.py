"""gradient_norms_through_time: backward loop, np.linalg.norm along the units."""
import numpy as np


def gradient_norms_through_time(dHs, X, h0, Hs, U, W):
    N, T, H = dHs.shape
    norms = np.zeros((N, T))
    g = np.zeros((N, H))
    for t in reversed(range(T)):
        g = dHs[:, t] + g
        norms[:, t] = np.linalg.norm(g, axis=1)
        g = (g * (1 - Hs[:, t] ** 2)) @ W
    return norms
