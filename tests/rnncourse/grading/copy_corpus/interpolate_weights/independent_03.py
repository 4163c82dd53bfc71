import numpy as np


def interpolate_weights(w_c, w_prev, zeta):
    N, S = w_c.shape
    w_g = np.zeros((N, S))
    for n in range(N):
        for i in range(S):
            w_g[n, i] = zeta[n] * w_c[n, i] + (1.0 - zeta[n]) * w_prev[n, i]
    return w_g
