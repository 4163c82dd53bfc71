"""memory_capacity_by_radius driving every radius at once, as a batch of reservoirs."""
import numpy as np


def memory_capacity_by_radius(x, U, W, b, rhos, max_delay, mu=1e-06):
    rhos = np.asarray(rhos, dtype=float)
    R, H, T = rhos.shape[0], W.shape[0], x.shape[0]
    unit = W / np.abs(np.linalg.eigvals(W)).max()
    Ws = rhos[:, None, None] * unit[None]  # (R, H, H)
    h = np.zeros((R, H))
    states = np.zeros((R, T, H))
    for t in range(T):
        h = np.tanh(np.einsum("rij,rj->ri", Ws, h) + x[t] * U[:, 0] + b)
        states[:, t] = h
    steps = np.arange(max_delay, T)
    m = steps.size // 2
    train, test = steps[:m], steps[m:]
    D = np.arange(1, max_delay + 1)
    Y_train = x[train[:, None] - D]
    Y_test = x[test[:, None] - D]
    pen = np.diag(np.append(np.full(H, mu), 0.0))
    r2 = np.zeros((R, max_delay))
    for r in range(R):
        Ztr = np.c_[states[r, train], np.ones(m)]
        Zte = np.c_[states[r, test], np.ones(test.size)]
        coef = np.linalg.solve(Ztr.T @ Ztr + pen, Ztr.T @ Y_train)
        P = Zte @ coef
        Pc, Yc = P - P.mean(0), Y_test - Y_test.mean(0)
        num = np.sum(Pc * Yc, 0) ** 2
        den = np.sum(Pc ** 2, 0) * np.sum(Yc ** 2, 0)
        safe = np.where(den > 0, den, 1.0)
        r2[r] = np.where(den > 0, num / safe, 0.0)
    return r2.sum(axis=1), r2
