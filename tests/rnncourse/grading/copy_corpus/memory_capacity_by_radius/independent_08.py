"""memory_capacity_by_radius: Cholesky for the ridge, squared correlation from covariances."""
import numpy as np


def memory_capacity_by_radius(x, U, W, b, rhos, max_delay, mu=1e-06):
    H = len(W)
    spectral_radius = float(np.max(np.abs(np.linalg.eigvals(W))))
    time_steps = len(x)
    first = max_delay
    n_train = (time_steps - first) // 2
    train = np.arange(first, first + n_train)
    test = np.arange(first + n_train, time_steps)
    mc_all = np.empty(len(rhos))
    r2_all = np.empty((len(rhos), max_delay))
    for row, rho in enumerate(rhos):
        scaled = W * (rho / spectral_radius)
        h = np.zeros(H)
        traj = []
        for t in range(time_steps):
            h = np.tanh(scaled @ h + U @ x[t:t + 1] + b)
            traj.append(h.copy())
        traj = np.asarray(traj)
        Ztr = np.column_stack((traj[train], np.ones(n_train)))
        Zte = np.column_stack((traj[test], np.ones(len(test))))
        M = Ztr.T @ Ztr
        M[np.arange(H), np.arange(H)] += mu
        L = np.linalg.cholesky(M)
        for k in range(1, max_delay + 1):
            rhs = Ztr.T @ x[train - k]
            w = np.linalg.solve(L.T, np.linalg.solve(L, rhs))
            out = Zte @ w
            tgt = x[test - k]
            cov = np.cov(out, tgt, bias=True)
            denom = cov[0, 0] * cov[1, 1]
            r2_all[row, k - 1] = cov[0, 1] ** 2 / denom if denom > 0 else 0.0
        mc_all[row] = r2_all[row].sum()
    return mc_all, r2_all
