import numpy as np


def perplexity(O, Y):
    log_Z = np.logaddexp.reduce(O, axis=-1)                      # (N, T)
    correct = np.take_along_axis(O, Y[..., None], axis=-1)[..., 0]
    return float(np.exp(np.mean(log_Z - correct)))
