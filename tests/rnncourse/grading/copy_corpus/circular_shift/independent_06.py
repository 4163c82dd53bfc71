import numpy as np


def circular_shift(w_g, s):
    N, S = w_g.shape
    src = (np.arange(S)[:, None] - np.arange(S)[None, :]) % S   # src[i, k] = (i - k) mod S
    gathered = np.take(w_g, src, axis=1)                         # (N, S, S): w_g[n, (i - k) mod S]
    return np.sum(gathered * s[:, None, :], axis=2)
