"""gradient_decay_rate: the slope as cov(k, y) / var(k) with np.cov."""
import numpy as np


def gradient_decay_rate(dHs, X, h0, Hs, U, W):
    T = dHs.shape[1]
    dh = np.zeros(dHs.shape[::2])
    mean_log = np.zeros(T)
    for t in range(T)[::-1]:
        dh = dh + dHs[:, t]
        mean_log[t] = np.mean(np.log(np.linalg.norm(dh, axis=1)))
        dh = ((1.0 - Hs[:, t] ** 2) * dh) @ W
    lag = (T - 1) - np.arange(T)
    c = np.cov(lag, mean_log)
    rate = np.exp(c[0, 1] / c[0, 0])
    rho = np.abs(np.linalg.eigvals(W)).max()
    return float(rate), float(rho)
