"""rnn_backward: the recursion for the pre-activation gradients only, then the parameter
gradients of all steps at once with einsum."""
import numpy as np


def rnn_backward(dHs, X, h0, Hs, U, W):
    N, T, H = Hs.shape
    slopes = 1.0 - Hs ** 2
    deltas = np.zeros((N, T, H))
    back = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        deltas[:, t] = (dHs[:, t] + back) * slopes[:, t]
        back = deltas[:, t] @ W
    before = np.concatenate((h0[:, np.newaxis, :], Hs[:, :-1, :]), axis=1)
    dX = np.einsum("nth,hd->ntd", deltas, U)
    dU = np.einsum("nth,ntd->hd", deltas, X)
    dW = np.einsum("nth,ntk->hk", deltas, before)
    db = deltas.sum(axis=(0, 1))
    return dX, back, dU, dW, db
