"""rnn_step_backward: the joint input [x, h_prev] and joint weights [U, W], split at the end."""
import numpy as np


def rnn_step_backward(dh, x, h_prev, h, U, W):
    D = x.shape[1]
    z = np.hstack([x, h_prev])
    M = np.hstack([U, W])
    dpre = dh * (1 - h ** 2)
    dz = dpre @ M
    dM = dpre.T @ z
    return dz[:, :D], dz[:, D:], dM[:, :D], dM[:, D:], dpre.sum(axis=0)
