import numpy as np


def interpolate_weights(w_c, w_prev, zeta):
    gate = np.expand_dims(zeta, axis=1)
    content_part = gate * w_c
    previous_part = (1.0 - gate) * w_prev
    w_g = content_part + previous_part
    return w_g
