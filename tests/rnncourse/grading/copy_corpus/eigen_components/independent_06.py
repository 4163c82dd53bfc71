"""eigen_components with the power computed by repeated multiplication in a loop."""
import numpy as np


def eigen_components(W, h0, t):
    lam, Q = np.linalg.eigh(W)
    scale = np.ones_like(lam)
    for _ in range(t):
        scale = scale * lam
    along = h0 @ Q  # the coordinate of h0 on each eigenvector
    return (Q * (scale * along)).T
