"""jacobian_product_norms with the bound in logarithms, summed and exponentiated."""
import numpy as np


def jacobian_product_norms(Hs, W, unit):
    N, T, H = Hs.shape
    lam = np.linalg.eigvals(W)
    rho = float(np.abs(lam).max())
    log_sigma = np.log(np.linalg.norm(W, 2))
    deriv = (1.0 - Hs) * (1.0 + Hs) if unit == "tanh" else (1.0 - Hs) * Hs
    log_slope = np.log(np.max(deriv, axis=2))  # (N, T): the largest slope of each step
    # bounds[n, t] = exp(sum over s > t of (log_slope[n, s] + log_sigma))
    later = np.cumsum((log_slope + log_sigma)[:, ::-1], axis=1)[:, ::-1]  # sum over s >= t
    bounds = np.exp(np.concatenate([later[:, 1:], np.zeros((N, 1))], axis=1))
    norms = np.zeros((N, T))
    for n in range(N):
        prod = np.identity(H)
        for t in reversed(range(T)):
            norms[n, t] = np.linalg.norm(prod, ord=2)
            prod = prod.dot(np.diag(deriv[n, t]).dot(W))
    return rho, norms, bounds
