import numpy as np


def act_halting_distribution(p_tilde, iota=0.01):
    N, nu_max = p_tilde.shape
    halted = np.zeros(N, dtype=bool)
    nu = np.full(N, nu_max, dtype=np.int64)
    acc = np.zeros(N)
    p = np.zeros((N, nu_max))
    for k in range(nu_max):
        stops_now = ~halted & ((acc + p_tilde[:, k] >= 1 - iota) | (k == nu_max - 1))
        go_on = ~halted & ~stops_now
        p[go_on, k] = p_tilde[go_on, k]
        p[stops_now, k] = 1 - acc[stops_now]
        nu[stops_now] = k + 1
        acc[go_on] += p_tilde[go_on, k]
        halted |= stops_now
    R = 1 - acc
    return p, nu, R
