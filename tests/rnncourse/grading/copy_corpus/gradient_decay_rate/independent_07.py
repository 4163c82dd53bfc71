"""gradient_decay_rate per example with column vectors, then averaged over the batch."""
import numpy as np


def gradient_decay_rate(dHs, X, h0, Hs, U, W):
    N, T, H = dHs.shape
    logs = np.zeros((N, T))
    for n in range(N):
        g = np.zeros(H)
        for t in range(T - 1, -1, -1):
            g = g + dHs[n, t]
            logs[n, T - 1 - t] = np.log(np.linalg.norm(g))  # column = lag
            g = W.T @ ((1 - Hs[n, t] ** 2) * g)
    avg = logs.sum(axis=0) / N
    lag = np.arange(T, dtype=float)
    slope = np.polyfit(lag, avg, deg=1)[0]
    eig = np.linalg.eigvals(W)
    return float(np.exp(slope)), float(np.sqrt((eig.real ** 2 + eig.imag ** 2).max()))
