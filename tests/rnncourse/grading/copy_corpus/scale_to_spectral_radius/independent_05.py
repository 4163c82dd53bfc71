"""scale_to_spectral_radius: entry by entry, as a student who loops everything might."""
import numpy as np


def scale_to_spectral_radius(W, rho):
    sr = np.amax(np.absolute(np.linalg.eigvals(W)))
    H = W.shape[0]
    scaled = np.zeros((H, H))
    for i in range(H):
        for j in range(H):
            scaled[i, j] = W[i, j] * rho / sr
    return scaled
