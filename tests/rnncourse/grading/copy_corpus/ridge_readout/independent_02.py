"""ridge_readout by centring: the bias absorbs the means, V from the centred normal equations."""
import numpy as np


def ridge_readout(states, targets, mu):
    h_mean = states.mean(axis=0)
    y_mean = targets.mean(axis=0)
    Sc = states - h_mean
    Yc = targets - y_mean
    H = states.shape[1]
    V = np.linalg.solve(Sc.T @ Sc + mu * np.eye(H), Sc.T @ Yc).T
    c = y_mean - V @ h_mean
    return V, c
