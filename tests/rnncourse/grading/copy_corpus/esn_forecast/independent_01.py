"""esn_forecast: run the leaky reservoir, ridge on the training states, read out the rest."""
import numpy as np


def esn_forecast(x, U, W, b, gamma, n_train, washout, mu):
    T, H = len(x), W.shape[0]
    a = 1.0 / np.asarray(gamma, dtype=float)
    S = np.zeros((T, H))
    h = np.zeros(H)
    for t in range(T):
        h = (1 - a) * h + a * np.tanh(U[:, 0] * x[t] + W @ h + b)
        S[t] = h
    Z = np.hstack([S[washout:n_train - 1], np.ones((n_train - 1 - washout, 1))])
    y = x[washout + 1:n_train]
    P = np.eye(H + 1)
    P[H, H] = 0.0
    w = np.linalg.solve(Z.T @ Z + mu * P, Z.T @ y)
    return S[n_train - 1:T - 1] @ w[:H] + w[H]
