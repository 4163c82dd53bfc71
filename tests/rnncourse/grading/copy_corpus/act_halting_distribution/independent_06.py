import numpy as np


def act_halting_distribution(p_tilde, iota=0.01):
    N, nu_max = p_tilde.shape
    halting = []
    ponder = []
    remainders = []
    for n in range(N):
        units = [float(v) for v in p_tilde[n]]
        partial = [sum(units[:k + 1]) for k in range(nu_max)]
        crossing = [k for k in range(nu_max) if partial[k] >= 1 - iota]
        steps = crossing[0] + 1 if crossing else nu_max
        rem = 1.0 - sum(units[:steps - 1])
        halting.append(units[:steps - 1] + [rem] + [0.0] * (nu_max - steps))
        ponder.append(steps)
        remainders.append(rem)
    return np.array(halting, dtype=float), np.array(ponder), np.array(remainders, dtype=float)
