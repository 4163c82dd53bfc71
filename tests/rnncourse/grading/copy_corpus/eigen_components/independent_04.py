"""eigen_components with einsum: diag(lambda^t) (Q^T h0) Q^T."""
import numpy as np


def eigen_components(W, h0, t):
    lam, Q = np.linalg.eigh(W)
    return np.einsum("i,ji,j,ki->ik", lam ** t, Q, h0, Q)
