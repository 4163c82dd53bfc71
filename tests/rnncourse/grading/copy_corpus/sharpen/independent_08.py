import numpy as np


def sharpen(w_tilde, xi):
    m = np.max(w_tilde, axis=-1, keepdims=True)
    with np.errstate(divide="ignore"):
        log_ratio = np.log(w_tilde) - np.log(m)      # -inf for an exact zero, whose power is 0
    powered = np.exp(np.expand_dims(xi, -1) * log_ratio)
    return powered / powered.sum(axis=-1, keepdims=True)
