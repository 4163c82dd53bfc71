"""memory_capacity_by_radius, all inline: a state loop, least squares on the augmented system, corrcoef."""
import numpy as np


def memory_capacity_by_radius(x, U, W, b, rhos, max_delay, mu=1e-06):
    T = x.size
    H = W.shape[0]
    lam = np.linalg.eigvals(W)
    size = np.sqrt(np.max(lam.real ** 2 + lam.imag ** 2))
    usable = np.arange(max_delay, T)
    n1 = usable.size // 2
    first, second = usable[:n1], usable[n1:]
    mcs, rows = [], []
    for rho in rhos:
        Wr = (rho / size) * W
        S = np.empty((T, H))
        h = np.zeros(H)
        for t in range(T):
            h = np.tanh(Wr @ h + U[:, 0] * x[t] + b)
            S[t] = h
        row = []
        for k in range(1, max_delay + 1):
            A = np.vstack([np.column_stack([S[first], np.ones(n1)]),
                           np.column_stack([np.sqrt(mu) * np.eye(H), np.zeros(H)])])
            rhs = np.concatenate([x[first - k], np.zeros(H)])
            sol = np.linalg.lstsq(A, rhs, rcond=None)[0]
            pred = S[second] @ sol[:H] + sol[H]
            goal = x[second - k]
            if np.ptp(pred) == 0 or np.ptp(goal) == 0:
                row.append(0.0)
            else:
                row.append(np.corrcoef(pred, goal)[0, 1] ** 2)
        rows.append(row)
        mcs.append(sum(row))
    return np.array(mcs), np.array(rows)
