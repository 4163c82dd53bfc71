"""eigen_components: eigh, the coordinates of h0, and a broadcast product."""
import numpy as np


def eigen_components(W, h0, t):
    lam, Q = np.linalg.eigh(W)
    coeff = lam ** t * (Q.T @ h0)
    return coeff[:, None] * Q.T
