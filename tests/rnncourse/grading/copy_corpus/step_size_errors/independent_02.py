"""step_size_errors: perturb one flat entry in place and restore it, the chapter's relative error."""
import numpy as np


def relative_error(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    s = max(np.abs(a).max(initial=0.0), np.abs(b).max(initial=0.0))
    if s == 0:
        return 0.0
    a, b = a / s, b / s
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


def step_size_errors(f, x, grad, epsilons):
    z = np.array(x, dtype=float)  # a private copy: x itself is never touched
    flat = z.reshape(-1)
    f_here = f(z)
    n = flat.size
    centred = np.empty(len(epsilons))
    one_sided = np.empty(len(epsilons))
    for k in range(len(epsilons)):
        h = epsilons[k]
        gc = np.empty(n)
        go = np.empty(n)
        for m in range(n):
            keep = flat[m]
            flat[m] = keep + h
            fp = f(z)
            flat[m] = keep - h
            fm = f(z)
            flat[m] = keep
            gc[m] = (fp - fm) / (2 * h)
            go[m] = (fp - f_here) / h
        centred[k] = relative_error(gc.reshape(x.shape), grad)
        one_sided[k] = relative_error(go.reshape(x.shape), grad)
    return centred, one_sided
