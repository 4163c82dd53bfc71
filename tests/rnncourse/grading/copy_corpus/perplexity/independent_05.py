import numpy as np


def perplexity(O, Y):
    N, T, K = O.shape
    flat = O.reshape(N * T, K)
    y = Y.reshape(-1)
    shifted = flat - flat.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    nll = -log_softmax[np.arange(N * T), y]
    return float(np.exp(nll.mean()))
