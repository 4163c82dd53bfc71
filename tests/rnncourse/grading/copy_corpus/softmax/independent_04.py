"""softmax of one vector in a helper, applied along the last axis."""
import numpy as np


def _softmax_vector(v):
    w = np.exp(v - np.max(v))
    return w / np.sum(w)


def softmax(o):
    """Softmax over the last axis, one slice at a time."""
    return np.apply_along_axis(_softmax_vector, -1, o)
