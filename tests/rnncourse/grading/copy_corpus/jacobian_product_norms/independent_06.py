"""jacobian_product_norms: a helper for the spectral norm from the singular values of each product."""
import numpy as np


def _spectral_norm(A):
    return float(np.linalg.svd(A, compute_uv=False).max())


def jacobian_product_norms(Hs, W, unit):
    n_seq, n_steps, n_units = Hs.shape
    radius = float(np.max(np.abs(np.linalg.eigvals(W))))
    w_norm = _spectral_norm(W)
    norms = np.zeros((n_seq, n_steps))
    bounds = np.zeros((n_seq, n_steps))
    for seq in range(n_seq):
        acc = np.eye(n_units)
        acc_bound = 1.0
        norms[seq, -1] = 1.0
        bounds[seq, -1] = 1.0
        for t in range(n_steps - 1, 0, -1):
            h = Hs[seq, t]
            slope = 1.0 - np.square(h) if unit == "tanh" else h - np.square(h)
            acc = np.matmul(acc, slope.reshape(-1, 1) * W)
            acc_bound = acc_bound * float(slope.max()) * w_norm
            norms[seq, t - 1] = _spectral_norm(acc)
            bounds[seq, t - 1] = acc_bound
    return radius, norms, bounds
