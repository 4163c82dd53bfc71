import numpy as np


def act_halting_distribution(p_tilde, iota=0.01):
    """Vectorised: the first step whose running sum reaches 1 - iota, or the cap."""
    N, nu_max = p_tilde.shape
    running = np.cumsum(p_tilde, axis=1)
    reached = running >= 1.0 - iota
    nu = np.where(reached.any(axis=1), reached.argmax(axis=1) + 1, nu_max)
    step = np.arange(1, nu_max + 1)
    used = step[None, :] < nu[:, None]
    p = np.where(used, p_tilde, 0.0)
    R = 1.0 - p.sum(axis=1)
    p[np.arange(N), nu - 1] = R
    return p, nu, R
