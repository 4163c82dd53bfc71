"""global_norm with einsum for the squared sum of each array."""
import math

import numpy as np


def global_norm(grads):
    return math.sqrt(sum(float(np.einsum("i,i->", g.ravel(), g.ravel())) for g in grads.values()))
