"""clip_gradients: math.fsum over every entry, a new dict built key by key."""
import math

import numpy as np


def clip_gradients(grads, max_norm):
    total = math.sqrt(math.fsum(float(x) * float(x) for g in grads.values() for x in np.ravel(g)))
    if total > max_norm:
        clipped = {}
        for name in grads:
            clipped[name] = grads[name] * (max_norm / total)
    else:
        clipped = {name: np.array(grads[name], copy=True) for name in grads}
    return clipped, total
