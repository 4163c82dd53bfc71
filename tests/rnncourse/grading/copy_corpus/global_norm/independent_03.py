"""global_norm with explicit loops over keys and entries."""
import math


def global_norm(grads):
    total = 0.0
    for key in grads:
        for value in grads[key].flat:
            total += float(value) * float(value)
    return math.sqrt(total)
