"""gradient_decay_rate: norms by a backward loop, np.polyfit for the slope, eigvals for rho."""
import numpy as np


def gradient_decay_rate(dHs, X, h0, Hs, U, W):
    N, T, H = dHs.shape
    norms = np.zeros((N, T))
    g = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        g = g + dHs[:, t]
        norms[:, t] = np.linalg.norm(g, axis=1)
        g = (g * (1 - Hs[:, t] ** 2)) @ W
    lags = T - 1 - np.arange(T)
    slope = np.polyfit(lags, np.log(norms).mean(axis=0), 1)[0]
    return float(np.exp(slope)), float(np.max(np.abs(np.linalg.eigvals(W))))
