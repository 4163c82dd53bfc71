"""step_size_errors with the perturbed points built as a stack of copies, one per entry."""
import numpy as np


def step_size_errors(f, x, grad, epsilons):
    n = x.size
    shape = x.shape
    here = f(x)
    res_c, res_o = np.zeros(len(epsilons)), np.zeros(len(epsilons))
    for k, h in enumerate(epsilons):
        ups = np.repeat(x.reshape(1, n), n, axis=0)
        downs = ups.copy()
        rows = np.arange(n)
        ups[rows, rows] = x.reshape(-1) + h
        downs[rows, rows] = x.reshape(-1) - h
        f_up = np.array([f(u.reshape(shape)) for u in ups])
        f_down = np.array([f(d.reshape(shape)) for d in downs])
        dc = ((f_up - f_down) / (2 * h)).reshape(shape)
        do = ((f_up - here) / h).reshape(shape)
        for res, d in ((res_c, dc), (res_o, do)):
            total = np.linalg.norm(d) + np.linalg.norm(grad)
            res[k] = np.linalg.norm(d - grad) / total if total > 0 else 0.0
    return res_c, res_o
