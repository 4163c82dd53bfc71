"""spectral_radius: the largest modulus among the eigenvalues."""
import numpy as np


def spectral_radius(W):
    return float(np.abs(np.linalg.eigvals(W)).max())
