"""esn_forecast assembled from the notebook's leaky_rnn_forward and ridge_readout (defined here)."""
import numpy as np


def leaky_rnn_forward(X, h0, U, W, b, gamma):
    gamma = np.asarray(gamma, dtype=float)
    Hs = np.zeros((X.shape[0], X.shape[1], W.shape[0]))
    h = h0
    for t in range(X.shape[1]):
        h = (1 - 1 / gamma) * h + np.tanh(X[:, t] @ U.T + h @ W.T + b) / gamma
        Hs[:, t] = h
    return Hs


def ridge_readout(states, targets, mu):
    T_tr, H = states.shape
    Z = np.hstack([states, np.ones((T_tr, 1))])
    P = np.diag([1.0] * H + [0.0])
    theta = np.linalg.solve(Z.T @ Z + mu * P, Z.T @ targets)
    return theta[:H].T, theta[H]


def esn_forecast(x, U, W, b, gamma, n_train, washout, mu):
    states = leaky_rnn_forward(x[None, :, None], np.zeros((1, W.shape[0])), U, W, b, gamma)[0]
    V, c = ridge_readout(states[washout:n_train - 1], x[washout + 1:n_train, None], mu)
    return (states[n_train - 1:-1] @ V.T + c)[:, 0]
