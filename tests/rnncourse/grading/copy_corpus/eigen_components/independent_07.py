"""eigen_components: Q diag(coefficients), transposed, with np.diag."""
import numpy as np


def eigen_components(W, h0, t):
    w, v = np.linalg.eigh(W)
    c = np.diag(w ** t * (v.T @ h0))
    return (v @ c).T
