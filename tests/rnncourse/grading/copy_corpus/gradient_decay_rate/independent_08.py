"""gradient_decay_rate: total gradients stored first, the fit with centred sums."""
import numpy as np


def gradient_decay_rate(dHs, X, h0, Hs, U, W):
    T = dHs.shape[1]
    totals = dHs.astype(float)
    for t in range(T - 2, -1, -1):
        totals[:, t] += (totals[:, t + 1] * (1 - Hs[:, t + 1] ** 2)) @ W
    y = np.log(np.linalg.norm(totals, axis=2)).mean(axis=0)
    k = T - 1.0 - np.arange(T)
    kc = k - k.mean()
    s = np.dot(kc, y - y.mean()) / np.dot(kc, kc)
    lam = np.linalg.eigvals(W)
    return float(np.exp(s)), float(abs(lam[np.argmax(abs(lam))]))
