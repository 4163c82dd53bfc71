"""memory_capacity_by_radius with comprehensions: one helper per radius, results zipped apart."""
import numpy as np


def _states(x, U, W, b):
    h = np.zeros(W.shape[0])
    out = []
    for value in x:
        h = np.tanh(b + W @ h + U @ np.array([value]))
        out.append(h)
    return np.array(out)


def _r2_profile(x, S, max_delay, mu):
    T, H = S.shape
    idx = list(range(max_delay, T))
    cut = len(idx) // 2
    fit_idx, eval_idx = np.array(idx[:cut]), np.array(idx[cut:])
    Z = np.concatenate([S, np.ones((T, 1))], axis=1)
    reg = mu * np.diag([1.0] * H + [0.0])
    G = Z[fit_idx].T @ Z[fit_idx] + reg

    def one(k):
        w = np.linalg.solve(G, Z[fit_idx].T @ x[fit_idx - k])
        y = Z[eval_idx] @ w
        target = x[eval_idx - k]
        cov = np.mean((y - y.mean()) * (target - target.mean()))
        var = np.var(y) * np.var(target)
        return cov ** 2 / var if var > 0 else 0.0

    return np.array([one(k) for k in range(1, max_delay + 1)])


def memory_capacity_by_radius(x, U, W, b, rhos, max_delay, mu=1e-06):
    radius = max(abs(e) for e in np.linalg.eigvals(W))
    profiles = np.array([_r2_profile(x, _states(x, U, W * (r / radius), b), max_delay, mu) for r in rhos])
    profiles = profiles.reshape(len(rhos), max_delay)
    return profiles.sum(axis=1), profiles
