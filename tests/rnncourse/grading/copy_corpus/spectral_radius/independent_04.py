"""spectral_radius from the real and imaginary parts written out."""
import numpy as np


def spectral_radius(W):
    ev = np.linalg.eigvals(W)
    return float(np.sqrt(np.max(ev.real ** 2 + ev.imag ** 2)))
