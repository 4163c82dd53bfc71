"""scale_to_spectral_radius with the moduli from real and imaginary parts."""
import math

import numpy as np


def scale_to_spectral_radius(W, rho):
    lam = np.linalg.eig(W)[0]
    r = max(math.sqrt(v.real ** 2 + v.imag ** 2) for v in lam)
    return np.multiply(W, rho / r)
