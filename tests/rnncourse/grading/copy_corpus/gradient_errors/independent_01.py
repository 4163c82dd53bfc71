"""gradient_errors: nested loop with np.ndindex, the book's relative error inline."""
import numpy as np


def gradient_errors(f, params, grads, eps=1e-06):
    errors = {}
    for key, analytic in grads.items():
        x = params[key]
        numeric = np.zeros(x.shape)
        for idx in np.ndindex(x.shape):
            old = x[idx]
            x[idx] = old + eps
            up = f(params)
            x[idx] = old - eps
            down = f(params)
            x[idx] = old
            numeric[idx] = (up - down) / (2 * eps)
        num = np.linalg.norm(analytic - numeric)
        den = np.linalg.norm(analytic) + np.linalg.norm(numeric)
        errors[key] = float(num / den) if den > 0 else 0.0
    return errors
