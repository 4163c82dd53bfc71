"""spectral_radius: eigenvalues through the complex matrix, then the norm of the largest."""
import numpy as np


def spectral_radius(W):
    spectrum = np.linalg.eigvals(W.astype(complex))
    best = max(spectrum, key=abs)
    return float(np.abs(best))
