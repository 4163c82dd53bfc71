import numpy as np


def perplexity(O, Y):
    onehot = np.eye(O.shape[-1])[Y]
    top = O.max(axis=-1, keepdims=True)
    log_probs = O - top - np.log(np.exp(O - top).sum(axis=-1, keepdims=True))
    mean_nll = -(onehot * log_probs).sum() / Y.size
    return float(np.exp(mean_nll))
