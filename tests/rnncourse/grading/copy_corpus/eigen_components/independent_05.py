"""eigen_components: each component as the projector q q^T applied to h0, scaled."""
import numpy as np


def eigen_components(W, h0, t):
    eigvals, Q = np.linalg.eigh(W)
    rows = []
    for lam, q in zip(eigvals, Q.T):
        projector = np.outer(q, q)
        rows.append(lam ** t * (projector @ h0))
    return np.array(rows)
