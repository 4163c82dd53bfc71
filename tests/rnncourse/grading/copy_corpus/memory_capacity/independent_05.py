"""memory_capacity: lstsq on the penalised, augmented system, MC_k from np.cov."""
import numpy as np


def memory_capacity(x, states, max_delay, mu=1e-06):
    T, H = states.shape
    first = max_delay
    n_tr = (T - first) // 2
    train_rows = range(first, first + n_tr)
    test_rows = range(first + n_tr, T)
    S_tr = states[list(train_rows)]
    S_te = states[list(test_rows)]
    A = np.vstack([np.hstack([S_tr, np.ones((n_tr, 1))]),
                   np.hstack([np.sqrt(mu) * np.eye(H), np.zeros((H, 1))])])
    mc_k = np.zeros(max_delay)
    for d in range(1, max_delay + 1):
        rhs = np.concatenate([x[[t - d for t in train_rows]], np.zeros(H)])
        w = np.linalg.lstsq(A, rhs, rcond=None)[0]
        out = S_te @ w[:H] + w[H]
        goal = x[[t - d for t in test_rows]]
        C = np.cov(out, goal)
        mc_k[d - 1] = C[0, 1] ** 2 / (C[0, 0] * C[1, 1]) if C[0, 0] * C[1, 1] > 0 else 0.0
    return float(mc_k.sum()), mc_k
