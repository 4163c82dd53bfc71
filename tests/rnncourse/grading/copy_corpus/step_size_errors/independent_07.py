"""step_size_errors: a generator of difference quotients and a list of results per kind."""
import math

import numpy as np


def _quotients(f, x, eps, fx):
    for index in np.ndindex(x.shape):
        shifted = x.copy()
        shifted[index] = x[index] + eps
        f_plus = f(shifted)
        shifted[index] = x[index] - eps
        f_minus = f(shifted)
        yield index, (f_plus - f_minus) / (2 * eps), (f_plus - fx) / eps


def _error(estimate, exact):
    diff = math.sqrt(float(np.sum((estimate - exact) ** 2)))
    size = math.sqrt(float(np.sum(estimate ** 2))) + math.sqrt(float(np.sum(exact ** 2)))
    return diff / size if size > 0 else 0.0


def step_size_errors(f, x, grad, epsilons):
    fx = f(x)
    results = {"centred": [], "one_sided": []}
    for eps in epsilons:
        est_c = np.empty(x.shape)
        est_o = np.empty(x.shape)
        for index, qc, qo in _quotients(f, x, eps, fx):
            est_c[index] = qc
            est_o[index] = qo
        results["centred"].append(_error(est_c, grad))
        results["one_sided"].append(_error(est_o, grad))
    return np.asarray(results["centred"]), np.asarray(results["one_sided"])
