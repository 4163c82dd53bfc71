"""scale_to_spectral_radius: the largest eigenvalue by argmax, then the ratio of the moduli."""
import numpy as np


def scale_to_spectral_radius(W, rho):
    """Rescale W so that its largest |eigenvalue| is rho."""
    ev = np.linalg.eigvals(W)
    biggest = ev[np.argmax(np.abs(ev))]
    return (rho / np.abs(biggest)) * W
