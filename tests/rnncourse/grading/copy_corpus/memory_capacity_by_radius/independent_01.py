"""memory_capacity_by_radius: a loop over the radii that calls the notebook's own earlier answers."""
import numpy as np


def leaky_rnn_forward(X, h0, U, W, b, gamma):
    N, T, _ = X.shape
    out = np.zeros((N, T, W.shape[0]))
    h = h0
    for t in range(T):
        h = (1 - 1 / gamma) * h + np.tanh(b + h @ W.T + X[:, t] @ U.T) / gamma
        out[:, t] = h
    return out


def ridge_readout(states, targets, mu):
    H = states.shape[1]
    Z = np.hstack([states, np.ones((states.shape[0], 1))])
    P = np.eye(H + 1)
    P[-1, -1] = 0
    w = np.linalg.solve(Z.T @ Z + mu * P, Z.T @ targets)
    return w[:H].T, w[H]


def memory_capacity(x, states, max_delay, mu=1e-06):
    steps = np.arange(max_delay, len(x))
    tr, te = steps[:len(steps) // 2], steps[len(steps) // 2:]
    r2 = np.zeros(max_delay)
    for k in range(1, max_delay + 1):
        V, c = ridge_readout(states[tr], x[tr - k, None], mu)
        y = states[te] @ V[0] + c[0]
        a, z = y - y.mean(), x[te - k] - x[te - k].mean()
        d = (a @ a) * (z @ z)
        r2[k - 1] = (a @ z) ** 2 / d if d > 0 else 0.0
    return float(r2.sum()), r2


def memory_capacity_by_radius(x, U, W, b, rhos, max_delay, mu=1e-06):
    eig = np.linalg.eigvals(W)
    current = np.max(np.abs(eig))
    H = W.shape[0]
    T = len(x)
    capacities = np.zeros(len(rhos))
    profiles = np.zeros((len(rhos), max_delay))
    for i in range(len(rhos)):
        W_new = W * rhos[i] / current
        states = leaky_rnn_forward(x.reshape(1, T, 1), np.zeros((1, H)), U, W_new, b, 1.0)[0]
        total, per_delay = memory_capacity(x, states, max_delay, mu)
        capacities[i] = total
        profiles[i, :] = per_delay
    return capacities, profiles
