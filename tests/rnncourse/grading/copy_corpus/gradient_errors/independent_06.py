"""gradient_errors with a try/finally that always restores the perturbed entry."""
import numpy as np


def gradient_errors(f, params, grads, eps=1e-06):
    errs = {}
    for name, analytic in grads.items():
        theta = params[name]
        numeric = np.zeros_like(theta, dtype=float)
        for pos in np.ndindex(theta.shape):
            value = theta[pos]
            try:
                theta[pos] = value + eps
                loss_hi = f(params)
                theta[pos] = value - eps
                loss_lo = f(params)
            finally:
                theta[pos] = value
            numeric[pos] = (loss_hi - loss_lo) / eps / 2
        top = np.linalg.norm((analytic - numeric).ravel())
        bottom = np.linalg.norm(analytic.ravel()) + np.linalg.norm(numeric.ravel())
        errs[name] = float(top / bottom) if bottom != 0 else 0.0
    return errs
