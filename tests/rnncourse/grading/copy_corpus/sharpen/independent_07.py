import numpy as np


def sharpen(w_tilde, xi):
    N = w_tilde.shape[0]
    out = np.zeros_like(w_tilde)
    for n in range(N):
        row = w_tilde[n]
        nz = np.flatnonzero(row)
        logs = xi[n] * np.log(row[nz])
        logs -= logs.max()
        p = np.exp(logs)
        out[n, nz] = p / p.sum()
    return out
