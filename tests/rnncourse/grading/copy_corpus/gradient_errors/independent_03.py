"""gradient_errors through a flat view of each parameter (reshape(-1) shares the memory)."""
import math

import numpy as np


def gradient_errors(f, params, grads, eps=1e-06):
    out = {}
    for name in grads:
        p = params[name]
        flat = p.reshape(-1)
        est = np.empty(flat.size)
        for j in range(flat.size):
            saved = flat[j]
            flat[j] = saved + eps
            plus = float(f(params))
            flat[j] = saved - eps
            minus = float(f(params))
            flat[j] = saved
            est[j] = (plus - minus) / (2 * eps)
        g = np.asarray(grads[name], dtype=float).reshape(-1)
        diff = math.sqrt(float(np.sum((g - est) ** 2)))
        size = math.sqrt(float(np.sum(g ** 2))) + math.sqrt(float(np.sum(est ** 2)))
        out[name] = diff / size if size else 0.0
    return out
