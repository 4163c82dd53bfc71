import numpy as np


def _as_steps(a):
    """(N, T, ...) view of an array that may be a single step (N, ...); and whether it was one."""
    return (a[:, None], True) if a.ndim == 2 else (a, False)


def attention_weights_backward(dalpha, alpha):
    A, single = _as_steps(alpha)
    dA, _ = _as_steps(dalpha)
    dot = np.einsum("nij,nij->ni", A, dA)
    dE = A * (dA - dot[:, :, None])
    return dE[:, 0] if single else dE
