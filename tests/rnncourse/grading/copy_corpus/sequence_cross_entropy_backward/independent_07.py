"""sequence_cross_entropy_backward with einsum for the normaliser and an index mask."""
import numpy as np


def sequence_cross_entropy_backward(O, Y):
    N, T, K = O.shape
    w = np.exp(O - O.max(-1)[..., None])
    yhat = w / np.einsum("ntk->nt", w)[..., None]
    mask = np.zeros((N, T, K))
    nn, tt = np.meshgrid(range(N), range(T), indexing="ij")
    mask[nn, tt, Y] = 1.0
    return (yhat - mask) / N
