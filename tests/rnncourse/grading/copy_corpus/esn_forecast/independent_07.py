"""esn_forecast: the series as a batch of one sequence (1, T, 1), batch-style reservoir code."""
import numpy as np


def esn_forecast(x, U, W, b, gamma, n_train, washout, mu):
    X = x.reshape(1, -1, 1)
    tau = np.asarray(gamma, dtype=float)
    h = np.zeros((1, W.shape[0]))
    Hs = []
    for t in range(X.shape[1]):
        h = (1 - 1 / tau) * h + (1 / tau) * np.tanh(X[:, t] @ U.T + h @ W.T + b)
        Hs.append(h[0])
    Hs = np.asarray(Hs)
    train = slice(washout, n_train - 1)
    target = x[washout + 1:n_train]
    Z = np.column_stack([Hs[train], np.ones(len(target))])
    P = np.eye(Z.shape[1])
    P[-1, -1] = 0
    theta = np.linalg.solve(Z.T.dot(Z) + mu * P, Z.T.dot(target))
    V, c = theta[:-1], theta[-1]
    return Hs[n_train - 1:-1].dot(V) + c
