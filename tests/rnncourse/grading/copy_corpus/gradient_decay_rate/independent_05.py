"""gradient_decay_rate: the normal equations of the line fit solved with np.linalg.solve."""
import numpy as np


def _norms(dHs, Hs, W):
    N, T, H = dHs.shape
    out = np.empty((N, T))
    carry = np.zeros((N, H))
    for step in range(T - 1, -1, -1):
        tot = dHs[:, step] + carry
        out[:, step] = np.linalg.norm(tot, axis=1)
        carry = np.einsum("nh,hk->nk", tot * (1 - Hs[:, step] ** 2), W)
    return out


def gradient_decay_rate(dHs, X, h0, Hs, U, W):
    """Measured decay per step of lag, and the spectral radius of W."""
    y = np.mean(np.log(_norms(dHs, Hs, W)), axis=0)
    T = len(y)
    lag = np.flip(np.arange(T)).astype(float)
    A = np.array([[np.sum(lag * lag), np.sum(lag)], [np.sum(lag), T]])
    rhs = np.array([np.sum(lag * y), np.sum(y)])
    slope, _ = np.linalg.solve(A, rhs)
    return float(np.exp(slope)), float(np.max(np.abs(np.linalg.eigvals(W))))
