"""softmax: shift by the row maximum, exponentiate, normalise (the textbook way)."""
import numpy as np


def softmax(o):
    shifted = o - o.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)
