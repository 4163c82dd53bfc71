"""leaky_rnn_backward: candidates of all steps at once, a loop for the deltas, einsum for the rest."""
import numpy as np


def leaky_rnn_backward(dHs, X, h0, Hs, U, W, gamma):
    g = np.asarray(gamma, dtype=float)
    prev = np.concatenate([h0[:, None], Hs[:, :-1]], axis=1)
    cand = g * Hs - (g - 1.0) * prev  # tanh of the pre-activation at every step
    slope = (1.0 - cand ** 2) / g
    N, T, H = Hs.shape
    deltas = np.zeros((N, T, H))
    back = np.zeros((N, H))
    for t in reversed(range(T)):
        tot = dHs[:, t] + back
        deltas[:, t] = tot * slope[:, t]
        back = tot * (1.0 - 1.0 / g) + deltas[:, t] @ W
    return (np.einsum("nth,hd->ntd", deltas, U), back, np.einsum("nth,ntd->hd", deltas, X),
            np.einsum("nth,ntk->hk", deltas, prev), deltas.sum(axis=(0, 1)))
