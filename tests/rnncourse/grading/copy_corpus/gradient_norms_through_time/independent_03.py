"""gradient_norms_through_time: the totals kept in an array, norms at the end with einsum."""
import numpy as np


def gradient_norms_through_time(dHs, X, h0, Hs, U, W):
    totals = np.array(dHs, dtype=float, copy=True)
    for t in range(dHs.shape[1] - 2, -1, -1):
        totals[:, t] += np.einsum("nh,hk->nk", totals[:, t + 1] * (1 - Hs[:, t + 1] ** 2), W)
    return np.sqrt(np.einsum("nth,nth->nt", totals, totals))
