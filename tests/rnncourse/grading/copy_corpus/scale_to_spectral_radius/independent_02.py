"""scale_to_spectral_radius with a radius helper and a copy scaled in place."""
import numpy as np


def radius(M):
    return float(max(abs(v) for v in np.linalg.eigvals(M)))


def scale_to_spectral_radius(W, rho):
    out = np.array(W, dtype=float, copy=True)
    out *= rho / radius(W)
    return out
