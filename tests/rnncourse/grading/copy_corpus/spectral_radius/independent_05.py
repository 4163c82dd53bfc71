"""spectral_radius with a helper and Python's max over a generator."""
import numpy as np


def eigenvalues(matrix):
    return list(np.linalg.eigvals(matrix))


def spectral_radius(W):
    return float(max(abs(v) for v in eigenvalues(W)))
