import numpy as np


def circular_shift(w_g, s):
    N, S = w_g.shape
    w_tilde = np.zeros((N, S))
    for n in range(N):
        for i in range(S):
            for j in range(S):
                w_tilde[n, i] += w_g[n, j] * s[n, (i - j) % S]
    return w_tilde
