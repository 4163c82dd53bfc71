def interpolate_weights(w_c, w_prev, zeta):
    """w_g = zeta w_c + (1 - zeta) w_prev, one gate per row."""
    return w_prev + zeta.reshape(-1, 1) * (w_c - w_prev)
