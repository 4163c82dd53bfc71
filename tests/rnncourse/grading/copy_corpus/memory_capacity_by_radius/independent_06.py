"""memory_capacity_by_radius: W normalised to radius one first, results kept in a dict by radius index."""
import numpy as np


def memory_capacity_by_radius(x, U, W, b, rhos, max_delay, mu=1e-06):
    moduli = np.absolute(np.linalg.eigvals(W))
    W_one = W / moduli.max()
    n_units = W.shape[0]
    T = x.shape[0]
    valid = np.arange(max_delay, T)
    split = valid.shape[0] // 2
    learn, judge = valid[:split], valid[split:]
    results = {}
    for j, rho in enumerate(rhos):
        W_j = rho * W_one
        H_seq = np.zeros((T, n_units))
        state = np.zeros(n_units)
        for t, xt in enumerate(x):
            state = np.tanh(b + W_j @ state + xt * U[:, 0])
            H_seq[t] = state
        design = np.hstack([H_seq, np.ones((T, 1))])
        gram = design[learn].T @ design[learn]
        gram[:n_units, :n_units] += mu * np.eye(n_units)
        scores = []
        for delay in range(1, max_delay + 1):
            weights = np.linalg.solve(gram, design[learn].T @ x[learn - delay])
            guess = design[judge] @ weights
            truth = x[judge - delay]
            dg, dt = guess - np.mean(guess), truth - np.mean(truth)
            bottom = np.sum(dg ** 2) * np.sum(dt ** 2)
            scores.append(0.0 if bottom <= 0 else float(np.sum(dg * dt) ** 2 / bottom))
        results[j] = scores
    r2 = np.array([results[j] for j in range(len(rhos))]).reshape(len(rhos), max_delay)
    return r2.sum(axis=1), r2
