"""gradient_errors with unravel_index over the flat positions and np.vdot for the norms."""
import math

import numpy as np


def gradient_errors(f, params, grads, eps=1e-06):
    def loss():
        return float(f(params))

    report = {}
    for key in list(grads):
        arr = params[key]
        approx = np.zeros(arr.shape)
        for flat_index in range(arr.size):
            where = np.unravel_index(flat_index, arr.shape)
            x0 = arr[where]
            arr[where] = x0 + eps
            l1 = loss()
            arr[where] = x0 - eps
            l2 = loss()
            arr[where] = x0
            approx[where] = (l1 - l2) / (2 * eps)
        exact = np.array(grads[key], dtype=float)
        d = exact - approx
        denom = math.sqrt(np.vdot(exact, exact)) + math.sqrt(np.vdot(approx, approx))
        report[key] = math.sqrt(np.vdot(d, d)) / denom if denom > 0 else 0.0
    return report
