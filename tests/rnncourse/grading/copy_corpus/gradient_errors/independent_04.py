"""gradient_errors: perturb with a copy put into a shallow copy of the dict, one entry at a time."""
import numpy as np


def gradient_errors(f, params, grads, eps=1e-06):
    result = {}
    for k in grads:
        base = params[k]
        g_num = np.zeros(base.shape)
        for i in range(base.size):
            step = np.zeros(base.size)
            step[i] = eps
            step = step.reshape(base.shape)
            trial = dict(params)
            trial[k] = base + step
            f_plus = f(trial)
            trial[k] = base - step
            f_minus = f(trial)
            g_num.flat[i] = (f_plus - f_minus) / (2 * eps)
        a = np.asarray(grads[k], dtype=float)
        norms = np.linalg.norm(a) + np.linalg.norm(g_num)
        result[k] = 0.0 if norms == 0 else float(np.linalg.norm(a - g_num) / norms)
    return result
