"""softmax with the normaliser from logaddexp.reduce."""
import numpy as np


def softmax(o):
    lse = np.logaddexp.reduce(o, axis=-1, keepdims=True)
    probs = np.exp(o - lse)
    return probs
