"""ridge_readout: the four blocks of the normal equations written out with sums."""
import numpy as np


def ridge_readout(states, targets, mu):
    T_tr, H = states.shape
    s_sum = states.sum(axis=0)
    gram = np.zeros((H + 1, H + 1))
    gram[:H, :H] = states.T @ states + mu * np.eye(H)
    gram[:H, H] = s_sum
    gram[H, :H] = s_sum
    gram[H, H] = T_tr
    rhs = np.vstack([states.T @ targets, targets.sum(axis=0, keepdims=True)])
    sol = np.linalg.solve(gram, rhs)
    return sol[:H].T, sol[H]
