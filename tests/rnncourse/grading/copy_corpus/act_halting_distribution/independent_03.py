import numpy as np


def act_halting_distribution(p_tilde, iota=0.01):
    N, nu_max = p_tilde.shape
    cum = np.cumsum(p_tilde, axis=1)
    # running sums never decrease: nu - 1 is the number of them still below the threshold
    nu = np.minimum(np.sum(cum < 1 - iota, axis=1) + 1, nu_max)
    before = np.concatenate([np.zeros((N, 1)), cum], axis=1)     # before[n, k] = sum of the first k units
    R = 1 - before[np.arange(N), nu - 1]
    p = p_tilde * (np.arange(nu_max) < (nu - 1)[:, None])
    p[np.arange(N), nu - 1] = R
    return p, nu.astype(np.int64), R
