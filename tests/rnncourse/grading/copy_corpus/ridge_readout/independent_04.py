"""ridge_readout: the bias column first, penalty matrix built by hand, an explicit inverse."""
import numpy as np


def ridge_readout(states, targets, mu):
    n, H = states.shape
    design = np.concatenate([np.ones((n, 1)), states], axis=1)  # [1, h]
    penalty = mu * np.eye(H + 1)
    penalty[0, 0] = 0.0
    gram = design.T.dot(design) + penalty
    w = np.linalg.solve(gram, design.T.dot(targets))  # rows: c, then V^T
    c = w[0]
    V = w[1:].T
    return np.ascontiguousarray(V), c
