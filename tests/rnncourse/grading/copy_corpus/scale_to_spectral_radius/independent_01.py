"""scale_to_spectral_radius: divide by the current radius, multiply by the target."""
import numpy as np


def scale_to_spectral_radius(W, rho):
    current = np.max(np.abs(np.linalg.eigvals(W)))
    return W / current * rho
