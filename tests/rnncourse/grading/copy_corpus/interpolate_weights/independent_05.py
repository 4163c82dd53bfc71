import numpy as np


def interpolate_weights(w_c, w_prev, zeta):
    # scale the rows: diag(zeta) W
    return np.diag(zeta) @ w_c + np.diag(1 - zeta) @ w_prev
