"""gradient_norms_through_time by recursion from the first step."""
import numpy as np


def gradient_norms_through_time(dHs, X, h0, Hs, U, W):
    T = dHs.shape[1]
    norms = np.zeros(dHs.shape[:2])

    def total(t):
        # dL/dh_t: its own part plus what step t + 1 sends back
        if t == T - 1:
            g = dHs[:, t]
        else:
            later = total(t + 1)
            g = dHs[:, t] + np.matmul(later * (1 - Hs[:, t + 1] ** 2), W)
        norms[:, t] = np.linalg.norm(g, axis=1)
        return g

    total(0)
    return norms
