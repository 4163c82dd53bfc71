"""step_size_errors: a numerical_gradient of its own for the centred part, a loop for the one-sided."""
import numpy as np


def numerical_gradient(f, x, eps):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        plus = f(x)
        x[i] = old - eps
        minus = f(x)
        x[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def relative_error(a, b):
    den = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if den == 0 else float(np.linalg.norm(a - b) / den)


def step_size_errors(f, x, grad, epsilons):
    work = x.copy()
    f0 = f(work)
    out_centred = np.zeros(len(epsilons))
    out_forward = np.zeros(len(epsilons))
    for j, eps in enumerate(epsilons):
        out_centred[j] = relative_error(numerical_gradient(f, work, eps), grad)
        fwd = np.zeros_like(work)
        for i in np.ndindex(work.shape):
            old = work[i]
            work[i] = old + eps
            fwd[i] = (f(work) - f0) / eps
            work[i] = old
        out_forward[j] = relative_error(fwd, grad)
    return out_centred, out_forward
