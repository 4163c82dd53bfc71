"""memory_capacity_by_radius: one solve per radius for every delay at once (a target matrix)."""
import numpy as np


def _leaky(X, h0, U, W, b, gamma=1.0):
    hs = []
    h = h0
    for t in range(X.shape[1]):
        h = (1.0 - 1.0 / gamma) * h + (1.0 / gamma) * np.tanh(X[:, t] @ U.T + h @ W.T + b)
        hs.append(h)
    return np.stack(hs, axis=1)


def _capacity(x, S, K, mu):
    T, H = S.shape
    ts = np.arange(K, T)
    n = len(ts) // 2
    targets = np.stack([x[ts - k] for k in range(1, K + 1)], axis=1)
    Z = np.c_[S[ts], np.ones(len(ts))]
    A = Z[:n].T @ Z[:n] + mu * np.diag(np.r_[np.ones(H), 0.0])
    C = np.linalg.solve(A, Z[:n].T @ targets[:n])
    Y = Z[n:] @ C
    Yc = Y - Y.mean(axis=0)
    Tc = targets[n:] - targets[n:].mean(axis=0)
    top = np.einsum("ij,ij->j", Yc, Tc) ** 2
    bot = np.einsum("ij,ij->j", Yc, Yc) * np.einsum("ij,ij->j", Tc, Tc)
    out = np.zeros(K)
    ok = bot > 0
    out[ok] = top[ok] / bot[ok]
    return out


def memory_capacity_by_radius(x, U, W, b, rhos, max_delay, mu=1e-06):
    r = np.max(np.abs(np.linalg.eigvals(W)))
    X = x[np.newaxis, :, np.newaxis]
    h0 = np.zeros((1, W.shape[0]))
    r2 = np.vstack([_capacity(x, _leaky(X, h0, U, (rho / r) * W, b)[0], max_delay, mu) for rho in rhos])
    mc = np.sum(r2, axis=1)
    return mc, r2
