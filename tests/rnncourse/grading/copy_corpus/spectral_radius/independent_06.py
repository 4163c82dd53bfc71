"""spectral_radius: the eigenvalue of largest modulus by argmax, then its modulus."""
import numpy as np


def spectral_radius(W):
    lams = np.linalg.eigvals(W)
    k = np.argmax(np.abs(lams))
    radius = np.abs(lams[k])
    return float(radius)
