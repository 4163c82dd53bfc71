"""step_size_errors: the flat view of a copy, errors through the normalised norms of the chapter."""
import numpy as np


def step_size_errors(f, x, grad, epsilons):
    g = np.asarray(grad, dtype=float).ravel()
    point = np.asarray(x, dtype=float).copy()
    view = point.ravel()  # shares memory with point
    value = f(point)
    centred_errors, one_sided_errors = [], []

    def rel(est):
        scale = max(np.max(np.abs(est)), np.max(np.abs(g)))
        if scale == 0:
            return 0.0
        a, b = est / scale, g / scale
        return float(np.sqrt(np.sum((a - b) ** 2)) / (np.sqrt(np.sum(a * a)) + np.sqrt(np.sum(b * b))))

    for step in epsilons:
        est_c = np.zeros(view.size)
        est_o = np.zeros(view.size)
        for i in range(view.size):
            original = view[i]
            view[i] = original + step
            right = f(point)
            view[i] = original - step
            left = f(point)
            view[i] = original
            est_c[i] = (right - left) / (2 * step)
            est_o[i] = (right - value) / step
        centred_errors.append(rel(est_c))
        one_sided_errors.append(rel(est_o))
    return np.array(centred_errors), np.array(one_sided_errors)
