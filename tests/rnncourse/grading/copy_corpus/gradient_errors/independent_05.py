"""gradient_errors with the relative error scaled by the largest entry first (no overflow)."""
import numpy as np


def _rel_err(a, b):
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0))
    if scale == 0:
        return 0.0
    a, b = a / scale, b / scale
    return float(np.sqrt(np.sum((a - b) ** 2)) / (np.sqrt(np.sum(a ** 2)) + np.sqrt(np.sum(b ** 2))))


def _centred(f, params, key, eps):
    x = params[key]
    g = np.zeros(x.shape)
    for index in np.ndindex(*x.shape):
        original = x[index]
        values = []
        for sign in (1.0, -1.0):
            x[index] = original + sign * eps
            values.append(f(params))
        x[index] = original
        g[index] = (values[0] - values[1]) / (2 * eps)
    return g


def gradient_errors(f, params, grads, eps=1e-06):
    return {key: _rel_err(np.asarray(grads[key], dtype=float), _centred(f, params, key, eps))
            for key in grads}
