def interpolate_weights(w_c, w_prev, zeta):
    z = zeta[:, None]
    return z * w_c + (1 - z) * w_prev
