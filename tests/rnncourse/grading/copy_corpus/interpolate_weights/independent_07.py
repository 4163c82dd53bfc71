def interpolate_weights(w_c, w_prev, zeta):
    return (w_c.T * zeta + w_prev.T * (1 - zeta)).T
