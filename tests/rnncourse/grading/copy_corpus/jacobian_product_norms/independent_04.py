"""jacobian_product_norms through the transposed product, the one BPTT applies to a gradient."""
import numpy as np


def jacobian_product_norms(Hs, W, unit):
    N, T, H = Hs.shape
    slope = {"tanh": lambda h: 1.0 - h ** 2, "logistic": lambda h: h * (1.0 - h)}[unit]
    top_sv = np.sqrt(np.max(np.linalg.eigvalsh(W.T @ W)))
    out_norm = np.zeros((N, T))
    out_bound = np.zeros((N, T))
    for n in range(N):
        back = np.eye(H)  # transpose of d h_last / d h_t: a product of transposed Jacobians
        bound = 1.0
        t = T - 1
        while t >= 0:
            out_norm[n, t] = np.linalg.norm(back, 2)  # a matrix and its transpose have the same norm
            out_bound[n, t] = bound
            d = slope(Hs[n, t])
            back = (W.T * d) @ back
            bound *= d.max() * top_sv
            t -= 1
    rho = float(np.max(np.absolute(np.linalg.eigvals(W))))
    return rho, out_norm, out_bound
