"""memory_capacity: delayed copies built with slicing, a ridge over einsum Gram matrices."""
import numpy as np


def memory_capacity(x, states, max_delay, mu=1e-06):
    T, H = states.shape
    n = T - max_delay
    h = n // 2
    S = states[max_delay:]
    ones = np.ones((n, 1))
    Z = np.concatenate([S, ones], axis=1)
    G = np.einsum("ti,tj->ij", Z[:h], Z[:h]) + np.diag([mu] * H + [0.0])
    mc_k = np.empty(max_delay)
    for k in range(1, max_delay + 1):
        target = x[max_delay - k:T - k]
        coef = np.linalg.solve(G, np.einsum("ti,t->i", Z[:h], target[:h]))
        y = Z[h:] @ coef
        corr = np.corrcoef(y, target[h:])[0, 1]
        mc_k[k - 1] = corr * corr
    return float(mc_k.sum()), mc_k
