"""jacobian_product_norms: the list of step Jacobians first, then each product from scratch."""
import numpy as np
from functools import reduce


DERIVATIVE = {"tanh": lambda h: 1 - h * h, "logistic": lambda h: h * (1 - h)}


def _step_jacobian(h, W, unit):
    return DERIVATIVE[unit](h)[:, None] * W


def jacobian_product_norms(Hs, W, unit):
    N, T, H = Hs.shape
    rho = np.abs(np.linalg.eigvals(W)).max()
    sig = np.linalg.norm(W, 2)
    norms, bounds = np.zeros((N, T)), np.zeros((N, T))
    for n in range(N):
        jacs = [_step_jacobian(Hs[n, s], W, unit) for s in range(T)]
        for t in range(T):
            later = jacs[t + 1:]  # steps t + 1 .. T - 1, the last one first in the product
            product = reduce(lambda A, B: A @ B, reversed(later), np.eye(H))
            norms[n, t] = np.linalg.norm(product, 2)
            bounds[n, t] = np.prod([np.max(DERIVATIVE[unit](Hs[n, s])) * sig for s in range(t + 1, T)])
    return float(rho), norms, bounds
