import numpy as np


def _as_steps(a):
    """(N, T, ...) view of an array that may be a single step (N, ...); and whether it was one."""
    return (a[:, None], True) if a.ndim == 2 else (a, False)


def attention_weights(E, mask=None):
    S, single = _as_steps(E)
    if mask is not None:
        big_negative = -1e30
        keep = mask[:, None, :].astype(S.dtype)
        S = S * keep + big_negative * (1.0 - keep)
    S = S - S.max(axis=2, keepdims=True)
    A = np.exp(S)
    A = A / A.sum(axis=2, keepdims=True)
    return A[:, 0] if single else A
