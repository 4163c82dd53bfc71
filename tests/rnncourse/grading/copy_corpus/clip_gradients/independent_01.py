"""clip_gradients: a loop for the squared sum, a dict comprehension for the scaling."""
import math

import numpy as np


def clip_gradients(grads, max_norm):
    squares = 0.0
    for arr in grads.values():
        squares += float((arr * arr).sum())
    total = math.sqrt(squares)
    scale = 1.0 if total <= max_norm else max_norm / total
    return {name: arr * scale for name, arr in grads.items()}, total
