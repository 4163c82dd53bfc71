"""spectral_radius: sort the moduli and take the last."""
import numpy as np


def spectral_radius(W):
    """max |eigenvalue| of W."""
    moduli = np.sort(np.absolute(np.linalg.eigvals(np.asarray(W, dtype=float))))
    return float(moduli[-1])
