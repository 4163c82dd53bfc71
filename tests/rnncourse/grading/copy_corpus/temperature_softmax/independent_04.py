import numpy as np


def temperature_softmax(o, temperature):
    o = np.asarray(o, dtype=float)
    if temperature == 0:
        best = o.max(axis=-1, keepdims=True)
        hits = np.equal(o, best)
        return hits / np.count_nonzero(hits, axis=-1)[..., None]
    log_norm = np.logaddexp.reduce(o / temperature, axis=-1, keepdims=True)
    return np.exp(o / temperature - log_norm)
