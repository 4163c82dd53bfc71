"""clip_gradients: einsum for the squares, zip over keys and arrays."""
import numpy as np


def clip_gradients(grads, max_norm):
    keys = list(grads.keys())
    arrays = [grads[k] for k in keys]
    sq = sum(float(np.einsum("i,i->", a.reshape(-1), a.reshape(-1))) for a in arrays)
    gnorm = sq ** 0.5
    mult = max_norm / gnorm if gnorm > max_norm else 1.0
    scaled = [a * mult for a in arrays]
    return dict(zip(keys, scaled)), gnorm
