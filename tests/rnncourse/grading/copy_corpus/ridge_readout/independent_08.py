"""ridge_readout: centred least squares through the SVD of the centred states."""
import numpy as np


def ridge_readout(states, targets, mu):
    mean_s = np.mean(states, axis=0)
    mean_t = np.mean(targets, axis=0)
    A = states - mean_s
    u, sv, vt = np.linalg.svd(A, full_matrices=False)
    shrink = sv / (sv ** 2 + mu)
    V = ((vt.T * shrink) @ (u.T @ (targets - mean_t))).T
    return V, mean_t - V @ mean_s
