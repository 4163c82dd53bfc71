"""step_size_errors: a copy of x per evaluation, both differences in one loop over the entries."""
import numpy as np


def _rel(a, b):
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na + nb == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / (na + nb))


def step_size_errors(f, x, grad, epsilons):
    base = f(x)
    c_err, o_err = [], []
    for eps in epsilons:
        dc = np.zeros(x.shape)
        do = np.zeros(x.shape)
        for idx in np.ndindex(*x.shape):
            up = x.copy()
            up[idx] = x[idx] + eps
            down = x.copy()
            down[idx] = x[idx] - eps
            fu = f(up)
            dc[idx] = (fu - f(down)) / (2 * eps)
            do[idx] = (fu - base) / eps
        c_err.append(_rel(dc, grad))
        o_err.append(_rel(do, grad))
    return np.array(c_err), np.array(o_err)
