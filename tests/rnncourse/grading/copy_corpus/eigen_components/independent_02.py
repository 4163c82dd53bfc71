"""eigen_components with a loop over the eigenpairs and np.dot."""
import numpy as np


def eigen_components(W, h0, t):
    vals, vecs = np.linalg.eigh(W)
    H = len(vals)
    comps = np.zeros((H, H))
    for i in range(H):
        q = vecs[:, i]
        comps[i] = (vals[i] ** t) * np.dot(q, h0) * q
    return comps
