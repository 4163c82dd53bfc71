"""ridge_readout: one output at a time, each a separate ridge problem."""
import numpy as np


def ridge_readout(states, targets, mu):
    T_tr, H = states.shape
    K = targets.shape[1]
    Z = np.hstack((states, np.ones((T_tr, 1))))
    reg = mu * np.eye(H + 1)
    reg[-1, -1] = 0
    A = Z.T @ Z + reg
    V = np.zeros((K, H))
    c = np.zeros(K)
    for k in range(K):
        w = np.linalg.solve(A, Z.T @ targets[:, k])
        V[k] = w[:H]
        c[k] = w[H]
    return V, c
