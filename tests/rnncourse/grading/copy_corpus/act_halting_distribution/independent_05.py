import numpy as np


def act_halting_distribution(p_tilde, iota=0.01):
    N, nu_max = p_tilde.shape
    p = np.zeros_like(p_tilde)
    nu = np.ones(N, dtype=np.int64)
    R = np.ones(N)
    for n in range(N):
        s = 0.0
        k = 0
        # ponder while the next unit would leave the sum below 1 - iota, up to the cap
        while k < nu_max - 1 and s + p_tilde[n, k] < 1 - iota:
            p[n, k] = p_tilde[n, k]
            s += p_tilde[n, k]
            k += 1
        nu[n] = k + 1
        R[n] = 1 - s
        p[n, k] = R[n]
    return p, nu, R
