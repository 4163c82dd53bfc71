"""jacobian_product_norms: one sequence at a time, the product grown from the right."""
import numpy as np


def jacobian_product_norms(Hs, W, unit):
    N, T, H = Hs.shape
    rho = float(max(abs(np.linalg.eigvals(W))))
    s_max = np.linalg.svd(W, compute_uv=False)[0]
    norms = np.ones((N, T))
    bounds = np.ones((N, T))
    for n in range(N):
        M = np.eye(H)
        b = 1.0
        for t in range(T - 2, -1, -1):
            step = t + 1  # the step between Hs[n, t] and Hs[n, t + 1]
            h = Hs[n, step]
            d = 1 - h ** 2 if unit == "tanh" else h * (1 - h)  # the unit's derivative, from its output
            J = np.diag(d) @ W
            M = M @ J
            b *= np.max(d) * s_max
            norms[n, t] = np.linalg.svd(M, compute_uv=False)[0]
            bounds[n, t] = b
    return rho, norms, bounds
