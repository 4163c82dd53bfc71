"""softmax through the log-sum-exp: yhat = exp(o - logsumexp(o))."""
import numpy as np


def softmax(o):
    m = np.max(o, axis=-1, keepdims=True)
    log_norm = m + np.log(np.sum(np.exp(o - m), axis=-1, keepdims=True))
    return np.exp(o - log_norm)
