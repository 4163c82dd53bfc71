"""global_norm from the per-array norms: sqrt(sum ||g_k||^2)."""
import math

import numpy as np


def global_norm(grads):
    norms = [np.linalg.norm(g) for g in grads.values()]
    return math.sqrt(sum(n * n for n in norms))
