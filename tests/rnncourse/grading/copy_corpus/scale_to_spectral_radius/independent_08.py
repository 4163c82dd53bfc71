"""scale_to_spectral_radius: a nested helper and np.divide."""
import numpy as np


def scale_to_spectral_radius(W, rho):
    def spectral(m):
        return np.sqrt(np.max(np.real(np.linalg.eigvals(m) * np.conj(np.linalg.eigvals(m)))))

    return np.divide(W * rho, spectral(W))
