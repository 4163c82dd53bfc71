import numpy as np


def interpolate_weights(w_c, w_prev, zeta):
    return np.einsum("n,ns->ns", zeta, w_c) + np.einsum("n,ns->ns", 1.0 - zeta, w_prev)
