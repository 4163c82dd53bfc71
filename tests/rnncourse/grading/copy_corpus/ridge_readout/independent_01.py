"""ridge_readout: augmented design matrix, penalty without the bias, np.linalg.solve."""
import numpy as np


def ridge_readout(states, targets, mu):
    T_tr, H = states.shape
    Z = np.hstack([states, np.ones((T_tr, 1))])
    P = np.diag(np.r_[np.ones(H), 0.0])
    theta = np.linalg.solve(Z.T @ Z + mu * P, Z.T @ targets)
    return theta[:H].T.copy(), theta[H].copy()
