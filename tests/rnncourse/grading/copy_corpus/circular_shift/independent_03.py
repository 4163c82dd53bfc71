import numpy as np


def circular_shift(w_g, s):
    S = w_g.shape[1]
    i = np.arange(S)
    offsets = (i[:, None] - i[None, :]) % S        # shift that takes slot j to slot i
    circulant = s[:, offsets]                       # (N, S, S)
    return np.einsum("nij,nj->ni", circulant, w_g)
