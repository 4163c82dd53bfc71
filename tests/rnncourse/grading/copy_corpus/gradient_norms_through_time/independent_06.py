"""gradient_norms_through_time: time-major arrays and a while loop."""
import numpy as np


def gradient_norms_through_time(dHs, X, h0, Hs, U, W):
    d = np.moveaxis(dHs, 1, 0)
    s = np.moveaxis(Hs, 1, 0)
    t = d.shape[0] - 1
    g = d[t]
    norms = np.empty(d.shape[:2])
    norms[t] = np.linalg.norm(g, axis=-1)
    while t > 0:
        g = d[t - 1] + ((1 - s[t] ** 2) * g).dot(W)
        t -= 1
        norms[t] = np.linalg.norm(g, axis=-1)
    return norms.T.copy()
