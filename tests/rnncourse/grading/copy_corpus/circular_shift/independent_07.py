import numpy as np


def circular_shift(w_g, s):
    N, S = w_g.shape
    shifted = []
    for n in range(N):
        w = list(w_g[n])
        row = [0.0] * S
        for k in range(S):
            if s[n, k] == 0:
                continue
            for i in range(S):
                row[i] += s[n, k] * w[(i - k) % S]
        shifted.append(row)
    return np.array(shifted, dtype=float)
