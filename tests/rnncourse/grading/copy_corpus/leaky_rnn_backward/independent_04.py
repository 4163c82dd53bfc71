"""leaky_rnn_backward with helpers: one for the candidate, one for a step's gradients."""
import numpy as np


def candidate_from_states(h, h_prev, gamma):
    return gamma * h - (gamma - 1) * h_prev


def step_back(dh, x, h_prev, s, U, W, gamma):
    dpre = dh * (1 - s ** 2) / gamma
    return dpre @ U, dh * (1 - 1 / gamma) + dpre @ W, dpre.T @ x, dpre.T @ h_prev, dpre.sum(axis=0)


def leaky_rnn_backward(dHs, X, h0, Hs, U, W, gamma):
    gamma = np.asarray(gamma, dtype=float)
    T = X.shape[1]
    dX = np.zeros(X.shape)
    dU, dW, db = np.zeros(U.shape), np.zeros(W.shape), np.zeros(W.shape[0])
    dh_prev = np.zeros(h0.shape)
    for t in reversed(range(T)):
        before = Hs[:, t - 1] if t else h0
        s = candidate_from_states(Hs[:, t], before, gamma)
        dX[:, t], dh_prev, gU, gW, gb = step_back(dHs[:, t] + dh_prev, X[:, t], before, s, U, W, gamma)
        dU += gU
        dW += gW
        db += gb
    return dX, dh_prev, dU, dW, db
