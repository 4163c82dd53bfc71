"""gradient_decay_rate with the lag-ordered series (reversed in time) and the slope formula."""
import math

import numpy as np


def gradient_decay_rate(dHs, X, h0, Hs, U, W):
    N, T, H = dHs.shape
    series = []  # series[k]: batch mean of log-norms at lag k
    dh = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        dh = dHs[:, t] + dh
        series.append(float(np.mean(np.log(np.sqrt(np.sum(dh ** 2, axis=1))))))
        dh = (dh * (1 - Hs[:, t] ** 2)) @ W
    k_mean = (T - 1) / 2
    y_mean = sum(series) / T
    num = sum((k - k_mean) * (series[k] - y_mean) for k in range(T))
    den = sum((k - k_mean) ** 2 for k in range(T))
    rho = max(abs(complex(v)) for v in np.linalg.eigvals(W))
    return math.exp(num / den), float(rho)
