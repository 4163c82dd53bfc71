"""scale_to_spectral_radius with the spectrum sorted by modulus."""
import numpy as np


def scale_to_spectral_radius(W, rho):
    moduli = sorted(np.abs(np.linalg.eigvals(W)))
    return W * (rho / moduli[-1])
