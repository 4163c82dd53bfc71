import numpy as np


def circular_shift(w_g, s):
    N, S = w_g.shape
    result = np.empty((N, S))
    for n in range(N):
        # column j of the circulant matrix is s rolled by j
        C = np.column_stack([np.roll(s[n], j) for j in range(S)])
        result[n] = C @ w_g[n]
    return result
