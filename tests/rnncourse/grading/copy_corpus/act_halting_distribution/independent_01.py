import numpy as np


def act_halting_distribution(p_tilde, iota=0.01):
    N, nu_max = p_tilde.shape
    p = np.zeros((N, nu_max))
    nu = np.zeros(N, dtype=np.int64)
    R = np.zeros(N)
    for n in range(N):
        total = 0.0
        steps = nu_max
        for k in range(nu_max):
            if total + p_tilde[n, k] >= 1 - iota:
                steps = k + 1
                break
            total += p_tilde[n, k]
        else:
            total = float(np.sum(p_tilde[n, :nu_max - 1]))
        nu[n] = steps
        R[n] = 1 - total
        p[n, :steps - 1] = p_tilde[n, :steps - 1]
        p[n, steps - 1] = R[n]
    return p, nu, R
