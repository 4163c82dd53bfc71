"""global_norm with vdot for each array's squared norm."""
import numpy as np


def global_norm(grads):
    squares = 0.0
    for name, g in grads.items():
        squares += np.vdot(g, g)
    return float(np.sqrt(squares))
