"""sequence_cross_entropy: einsum against a one-hot tensor to pick the log-probabilities."""
import numpy as np


def sequence_cross_entropy(O, Y):
    N, T, K = O.shape
    hot = (Y[..., None] == np.arange(K)).astype(float)
    c = np.max(O, axis=-1, keepdims=True)
    log_softmax = O - c - np.log(np.sum(np.exp(O - c), axis=-1, keepdims=True))
    return float(-np.einsum("ntk,ntk->", hot, log_softmax) / N)
