"""gradient_errors: the differences of all entries of a parameter as a list comprehension."""
import numpy as np


def gradient_errors(f, params, grads, eps=1e-06):
    def shifted_loss(key, index, delta):
        x = params[key]
        old = x[index]
        x[index] = old + delta
        value = f(params)
        x[index] = old
        return value

    errors = {}
    for key in grads:
        shape = params[key].shape
        fd = np.array([(shifted_loss(key, i, eps) - shifted_loss(key, i, -eps)) / (2 * eps)
                       for i in np.ndindex(shape)]).reshape(shape)
        g = grads[key]
        total = np.linalg.norm(g) + np.linalg.norm(fd)
        errors[key] = float(np.linalg.norm(g - fd) / total) if total else 0.0
    return errors
