import numpy as np


def act_halting_distribution(p_tilde, iota=0.01):
    N, nu_max = p_tilde.shape
    cumulative = np.cumsum(p_tilde, axis=1)
    # a sentinel column that always reaches the threshold stands for the cap
    padded = np.hstack([cumulative[:, :-1], np.full((N, 1), np.inf)])
    nu = np.argmax(padded >= 1 - iota, axis=1) + 1
    mask = np.arange(nu_max)[None, :] < nu[:, None] - 1
    R = 1 - np.sum(p_tilde * mask, axis=1)
    last = np.arange(nu_max)[None, :] == nu[:, None] - 1
    p = p_tilde * mask + R[:, None] * last
    return p, nu, R
