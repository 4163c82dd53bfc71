"""clip_by_norm with helpers for the norm and for scaling a dict."""
import numpy as np


def _norm_of_all(arrays):
    return np.sqrt(np.sum([np.sum(a ** 2) for a in arrays]))


def _scaled(d, s):
    return {k: s * v for k, v in d.items()}


def clip_by_norm(grads, max_norm):
    """Scale every gradient by the same factor when their global norm exceeds max_norm."""
    n = _norm_of_all(list(grads.values()))
    return _scaled(grads, max_norm / n) if n > max_norm else _scaled(grads, 1.0)
