"""step_size_errors with a helper that returns both difference gradients for one step."""
import numpy as np


def _both_differences(f, x, h):
    f0 = f(x)
    centred = np.zeros_like(x, dtype=float)
    forward = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        i = it.multi_index
        e = np.zeros_like(x, dtype=float)
        e[i] = 1.0
        plus = f(x + h * e)
        minus = f(x - h * e)
        centred[i] = (plus - minus) / (2.0 * h)
        forward[i] = (plus - f0) / h
        it.iternext()
    return centred, forward


def step_size_errors(f, x, grad, epsilons):
    def err(a):
        top = np.sqrt(np.sum((a - grad) ** 2))
        bottom = np.sqrt(np.sum(a ** 2)) + np.sqrt(np.sum(grad ** 2))
        return 0.0 if bottom == 0 else top / bottom

    pairs = [_both_differences(f, x, h) for h in epsilons]
    return np.array([err(c) for c, _ in pairs]), np.array([err(o) for _, o in pairs])
