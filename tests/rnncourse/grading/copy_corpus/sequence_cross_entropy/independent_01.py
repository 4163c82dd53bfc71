"""sequence_cross_entropy: log-softmax, pick the targets with take_along_axis, sum, divide by N."""
import numpy as np


def sequence_cross_entropy(O, Y):
    shifted = O - O.max(axis=2, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
    picked = np.take_along_axis(log_probs, Y[:, :, None], axis=2)
    return float(-picked.sum() / O.shape[0])
