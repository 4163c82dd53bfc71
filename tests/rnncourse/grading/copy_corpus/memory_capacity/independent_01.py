"""memory_capacity: a ridge helper, index arrays for the two halves, np.corrcoef."""
import numpy as np


def ridge_readout(states, targets, mu):
    Z = np.hstack([states, np.ones((len(states), 1))])
    P = np.eye(Z.shape[1])
    P[-1, -1] = 0.0
    theta = np.linalg.solve(Z.T @ Z + mu * P, Z.T @ targets)
    return theta[:-1].T, theta[-1]


def memory_capacity(x, states, max_delay, mu=1e-06):
    T = len(x)
    steps = np.arange(max_delay, T)
    train, test = steps[: len(steps) // 2], steps[len(steps) // 2:]
    mc_k = np.zeros(max_delay)
    for k in range(1, max_delay + 1):
        V, c = ridge_readout(states[train], x[train - k].reshape(-1, 1), mu)
        y = states[test] @ V.T + c
        mc_k[k - 1] = np.corrcoef(y[:, 0], x[test - k])[0, 1] ** 2
    return float(mc_k.sum()), mc_k
