"""Elementwise and vector activations, written to stay finite for any input.

``sigmoid`` and ``softmax`` are the two places where a naive formula overflows:
``exp(-a)`` for a very negative ``a`` and ``exp(o_k)`` for a large logit. Both
are rewritten so that ``exp`` only ever sees non-positive arguments.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array

__all__ = ["sigmoid", "softmax", "log_softmax"]


def sigmoid(a):
    """Logistic sigmoid, ``sigma(a) = 1 / (1 + exp(-a))``, elementwise.

    Inputs:
    - a: float array of any shape.

    Returns:
    - s: float array of the same shape as ``a``, every entry in [0, 1].
    """
    a = as_float_array(a, "a", tuple(range(0, 33)))
    # exp of a non-positive number never overflows: use exp(-|a|) on both branches.
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(o):
    """Softmax over the last axis: ``yhat_k = exp(o_k) / sum_j exp(o_j)``.

    Inputs:
    - o: float array of logits, shape (..., K); the last axis holds the K classes.

    Returns:
    - yhat: float array of shape (..., K); each slice along the last axis is
      non-negative and sums to 1.
    """
    o = as_float_array(o, "o", tuple(range(1, 33)))
    if o.shape[-1] == 0:
        raise ValueError(f"o has shape {o.shape}, expected at least one class on the last axis (K >= 1)")
    # Softmax is unchanged by subtracting a constant; the max makes every exponent <= 0.
    z = o - o.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(o):
    """Logarithm of the softmax over the last axis, computed without forming the softmax.

    ``log yhat_k = o_k - log sum_j exp(o_j)``, with the log-sum-exp shifted by the
    maximum so that a confident wrong prediction gives a large finite loss
    instead of ``log(0) = -inf``.

    Inputs:
    - o: float array of logits, shape (..., K).

    Returns:
    - log_yhat: float array of shape (..., K).
    """
    o = as_float_array(o, "o", tuple(range(1, 33)))
    if o.shape[-1] == 0:
        raise ValueError(f"o has shape {o.shape}, expected at least one class on the last axis (K >= 1)")
    z = o - o.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
