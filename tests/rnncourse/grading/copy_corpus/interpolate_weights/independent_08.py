import numpy as np


def interpolate_weights(w_c, w_prev, zeta):
    rows = [g * c + (1 - g) * p for g, c, p in zip(zeta, w_c, w_prev)]
    return np.array(rows)
