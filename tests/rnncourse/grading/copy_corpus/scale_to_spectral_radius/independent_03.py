"""scale_to_spectral_radius: the factor first, then one multiplication."""
import numpy as np


def scale_to_spectral_radius(W, rho):
    eigenvalues = np.linalg.eigvals(W)
    factor = rho / np.abs(eigenvalues).max()
    W_scaled = factor * W
    return W_scaled
