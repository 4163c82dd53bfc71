"""spectral_radius: eig (values and vectors), a loop for the maximum of |lambda|."""
import math

import numpy as np


def spectral_radius(W):
    values, _ = np.linalg.eig(W)
    rho = 0.0
    for lam in values:
        size = math.hypot(lam.real, lam.imag)
        if size > rho:
            rho = size
    return rho
