"""jacobian_product_norms, recursive: the product for step t from the one for step t + 1."""
import numpy as np


def jacobian_product_norms(Hs, W, unit):
    N, T, H = Hs.shape
    sigma = np.linalg.norm(W, 2)

    def products(n, t):
        """(d Hs[n, T-1] / d Hs[n, t], its bound), from the last step backwards."""
        if t == T - 1:
            return np.eye(H), 1.0
        P, bound = products(n, t + 1)
        h = Hs[n, t + 1]
        slope = 1 - h ** 2 if unit == "tanh" else h * (1 - h)
        return P @ np.diag(slope) @ W, bound * slope.max() * sigma

    norms = np.array([[np.linalg.norm(products(n, t)[0], 2) for t in range(T)] for n in range(N)])
    bounds = np.array([[products(n, t)[1] for t in range(T)] for n in range(N)])
    return float(np.max(np.abs(np.linalg.eigvals(W)))), norms.reshape(N, T), bounds.reshape(N, T)
