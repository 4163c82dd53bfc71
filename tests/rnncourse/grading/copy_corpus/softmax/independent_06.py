"""softmax: stable exponentials in a helper, then multiply by the reciprocal of the sum."""
import numpy as np


def stable_exp(logits):
    # subtracting the largest logit of each row keeps exp from overflowing
    return np.exp(logits - np.max(logits, axis=-1, keepdims=True))


def softmax(o):
    numer = stable_exp(o)
    inv = 1.0 / numer.sum(axis=-1, keepdims=True)
    yhat = numer * inv
    return yhat
