"""clip_by_norm with the rescaling written as max_norm * g / ||g||."""
import math

import numpy as np


def clip_by_norm(grads, max_norm):
    norm = math.sqrt(sum(np.vdot(g, g) for g in grads.values()))
    result = {}
    for name in grads:
        if norm > max_norm:
            result[name] = max_norm * grads[name] / norm
        else:
            result[name] = grads[name].copy()
    return result
