"""gradient_decay_rate: least squares with lstsq on the design matrix [lag, 1]."""
import numpy as np


def gradient_decay_rate(dHs, X, h0, Hs, U, W):
    T = dHs.shape[1]
    g = np.zeros_like(dHs[:, 0])
    log_norms = np.zeros((dHs.shape[0], T))
    for t in range(T - 1, -1, -1):
        g = dHs[:, t] + g
        log_norms[:, t] = np.log(np.linalg.norm(g, axis=-1))
        g = np.dot(g * (1.0 - Hs[:, t] * Hs[:, t]), W)
    lag = np.array([T - 1 - t for t in range(T)], dtype=float)
    A = np.column_stack([lag, np.ones(T)])
    coef, *_ = np.linalg.lstsq(A, log_norms.mean(axis=0), rcond=None)
    measured = float(np.exp(coef[0]))
    predicted = float(max(abs(v) for v in np.linalg.eigvals(W)))
    return measured, predicted
