import numpy as np


def perplexity(O, Y):
    m = O.max(axis=2, keepdims=True)
    log_probs = O - m - np.log(np.exp(O - m).sum(axis=2, keepdims=True))
    picked = np.take_along_axis(log_probs, Y[:, :, None], axis=2)
    return float(np.exp(-picked.mean()))
