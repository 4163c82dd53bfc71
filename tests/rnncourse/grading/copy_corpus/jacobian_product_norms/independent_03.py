"""jacobian_product_norms: the list of step Jacobians first, then each product from scratch."""
import numpy as np
from functools import reduce


def _step_jacobian(h, W):
    return (1 - h * h)[:, None] * W


def jacobian_product_norms(Hs, W):
    N, T, H = Hs.shape
    rho = np.abs(np.linalg.eigvals(W)).max()
    sig = np.linalg.norm(W, 2)
    norms, bounds = np.zeros((N, T)), np.zeros((N, T))
    for n in range(N):
        jacs = [_step_jacobian(Hs[n, s], W) for s in range(T)]
        for t in range(T):
            later = jacs[t + 1:]  # steps t + 1 .. T - 1, the last one first in the product
            product = reduce(lambda A, B: A @ B, reversed(later), np.eye(H))
            norms[n, t] = np.linalg.norm(product, 2)
            bounds[n, t] = np.prod([np.max(1 - Hs[n, s] ** 2) * sig for s in range(t + 1, T)])
    return float(rho), norms, bounds
