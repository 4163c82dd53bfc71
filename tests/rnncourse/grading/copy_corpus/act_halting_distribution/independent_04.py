import numpy as np


def act_halting_distribution(p_tilde, iota=0.01):
    N, nu_max = p_tilde.shape
    nus, Rs, rows = [], [], []
    threshold = 1.0 - iota
    for units in p_tilde:
        cum = np.cumsum(units)
        k = int(np.searchsorted(cum, threshold, side="left"))   # first index with cum >= threshold
        n_steps = min(k + 1, nu_max)
        remainder = 1.0 - units[:n_steps - 1].sum()
        row = np.zeros(nu_max)
        row[:n_steps - 1] = units[:n_steps - 1]
        row[n_steps - 1] = remainder
        nus.append(n_steps)
        Rs.append(remainder)
        rows.append(row)
    return np.array(rows), np.array(nus, dtype=np.int64), np.array(Rs)
