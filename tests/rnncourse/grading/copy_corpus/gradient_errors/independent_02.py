"""gradient_errors with two helpers, numerical_gradient and relative_error, as in the chapter."""
import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        i = it.multi_index
        keep = x[i]
        x[i] = keep + eps
        fp = f(x)
        x[i] = keep - eps
        fm = f(x)
        x[i] = keep
        grad[i] = (fp - fm) / (2.0 * eps)
        it.iternext()
    return grad


def relative_error(a, b):
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    if denominator == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / denominator)


def gradient_errors(f, params, grads, eps=1e-06):
    return {k: relative_error(grads[k], numerical_gradient(lambda _: f(params), params[k], eps))
            for k in grads}
