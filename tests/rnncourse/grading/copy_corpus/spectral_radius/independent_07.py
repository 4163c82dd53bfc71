"""spectral_radius: the roots of the characteristic polynomial, a 1x1 matrix handled too."""
import numpy as np


def spectral_radius(W):
    W = np.atleast_2d(W)
    if W.shape == (1, 1):
        return float(abs(W[0, 0]))
    roots = np.linalg.eigvals(W)  # the characteristic polynomial's roots, computed stably
    return float(np.amax(np.abs(roots)))
