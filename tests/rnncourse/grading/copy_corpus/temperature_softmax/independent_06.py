import numpy as np


def temperature_softmax(o, temperature):
    m = np.max(o, axis=-1, keepdims=True)
    if temperature == 0.0:
        ties = (o == m) * 1.0
        return ties / np.sum(ties, axis=-1, keepdims=True)
    # shift by the maximum before dividing by tau: the same distribution
    w = np.exp((o - m) / temperature)
    return w / np.sum(w, axis=-1, keepdims=True)
