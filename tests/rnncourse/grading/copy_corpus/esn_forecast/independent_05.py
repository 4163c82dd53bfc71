"""esn_forecast: training pairs gathered in a loop, predictions produced in a second loop."""
import numpy as np


def esn_forecast(x, U, W, b, gamma, n_train, washout, mu):
    T = x.shape[0]
    H = W.shape[0]
    alpha = 1.0 / np.asarray(gamma, dtype=float) * np.ones(H)
    states = np.zeros((T, H))
    h = np.zeros(H)
    for t in range(T):
        h = (1.0 - alpha) * h + alpha * np.tanh(b + W @ h + U[:, 0] * x[t])
        states[t] = h
    rows, targets = [], []
    for t in range(washout, n_train - 1):
        rows.append(np.append(states[t], 1.0))
        targets.append(x[t + 1])
    Z = np.array(rows)
    reg = mu * np.eye(H + 1)
    reg[H, H] = 0.0
    w = np.linalg.solve(Z.T @ Z + reg, Z.T @ np.array(targets))
    preds = []
    for t in range(n_train - 1, T - 1):
        preds.append(states[t] @ w[:H] + w[H])
    return np.array(preds)
