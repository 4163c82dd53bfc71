"""jacobian_product_norms: loops over time outside and over the batch inside, norms via eigvalsh."""
import math

import numpy as np


def jacobian_product_norms(Hs, W, unit):
    N, T, H = Hs.shape
    eigs = np.linalg.eigvals(W)
    rho = max(math.hypot(e.real, e.imag) for e in eigs)
    w2 = math.sqrt(max(np.linalg.eigvalsh(W.T @ W)))
    prods = [np.eye(H) for _ in range(N)]
    bnd = [1.0] * N
    norms = np.zeros((N, T))
    bounds = np.zeros((N, T))
    for t in range(T - 1, -1, -1):
        for n in range(N):
            P = prods[n]
            norms[n, t] = math.sqrt(max(0.0, np.linalg.eigvalsh(P.T @ P).max()))
            bounds[n, t] = bnd[n]
            h = Hs[n, t]
            d = (1 - h) * (1 + h) if unit == "tanh" else h * (1 - h)
            prods[n] = P @ (d[:, None] * W)
            bnd[n] = bnd[n] * max(d) * w2
    return float(rho), norms, bounds
