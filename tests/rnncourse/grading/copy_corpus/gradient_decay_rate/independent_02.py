"""gradient_decay_rate built on the notebook's earlier functions (defined here)."""
import numpy as np


def gradient_norms_through_time(dHs, X, h0, Hs, U, W):
    norms = np.zeros(dHs.shape[:2])
    back = np.zeros(h0.shape)
    for t in reversed(range(dHs.shape[1])):
        total = dHs[:, t] + back
        norms[:, t] = np.sqrt((total ** 2).sum(axis=1))
        back = (total * (1 - Hs[:, t] ** 2)) @ W
    return norms


def spectral_radius(W):
    return float(np.abs(np.linalg.eigvals(W)).max())


def gradient_decay_rate(dHs, X, h0, Hs, U, W):
    n = gradient_norms_through_time(dHs, X, h0, Hs, U, W)
    T = n.shape[1]
    k = np.arange(T)[::-1].astype(float)
    y = np.log(n).mean(axis=0)
    s = ((k - k.mean()) * (y - y.mean())).sum() / ((k - k.mean()) ** 2).sum()
    return float(np.exp(s)), spectral_radius(W)
