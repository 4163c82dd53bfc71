"""Negative log-likelihood losses for softmax outputs.

The losses take logits ``o`` rather than probabilities ``yhat``: computing
``log softmax(o)`` directly stays finite where ``log(softmax(o))`` would give
``log(0)``.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, as_index_array
from .activations import log_softmax, softmax

__all__ = ["cross_entropy", "sequence_cross_entropy", "sequence_cross_entropy_backward"]


def cross_entropy(o, y):
    """Mean negative log-likelihood of the classes ``y`` under ``softmax(o)``.

    ``L = -(1/N) sum_n log yhat[n, y[n]]``.

    Inputs:
    - o: logits, shape (N, K).
    - y: integer class indices, shape (N,), each in [0, K).

    Returns:
    - loss: a Python float.
    """
    o = as_float_array(o, "o", 2)
    if o.shape[0] == 0:
        raise ValueError(f"o has shape {o.shape}, expected (N, K) with at least one row (N >= 1)")
    y = as_index_array(y, "y", 1, upper=o.shape[1])
    if y.shape[0] != o.shape[0]:
        raise ValueError(f"y has shape {y.shape}, expected (N,) = ({o.shape[0]},) to match o")
    n = o.shape[0]
    return float(-log_softmax(o)[np.arange(n), y].sum() / n)


def _check_sequence_logits(O, Y):
    """Validate a sequence loss's logits (N, T, K) and targets (N, T); return them as arrays."""
    O = as_float_array(O, "O", 3)
    if O.shape[0] == 0:
        raise ValueError(f"O has shape {O.shape}, expected (N, T, K) with at least one sequence (N >= 1)")
    Y = as_index_array(Y, "Y", 2, upper=O.shape[2])
    if Y.shape != O.shape[:2]:
        raise ValueError(f"Y has shape {Y.shape}, expected (N, T) = {O.shape[:2]} to match O")
    return O, Y


def sequence_cross_entropy(O, Y):
    """Sequence loss: the per-step losses summed over time, averaged over the batch.

    ``L = (1/N) sum_n sum_t L_t[n]`` with ``L_t[n] = -log yhat_t[n, Y[n, t]]`` and
    ``yhat_t = softmax(o_t)``. Summing over time (not averaging) matches the
    book's ``L = sum_t L(t)``; dividing by N makes the value independent of the
    batch size.

    Inputs:
    - O: logits for every step, shape (N, T, K).
    - Y: integer targets, shape (N, T), each in [0, K).

    Returns:
    - loss: a Python float.
    """
    O, Y = _check_sequence_logits(O, Y)
    N, T, _ = O.shape
    log_yhat = log_softmax(O)
    picked = log_yhat[np.arange(N)[:, None], np.arange(T)[None, :], Y]
    return float(-picked.sum() / N)


def sequence_cross_entropy_backward(O, Y):
    """Gradient of ``sequence_cross_entropy(O, Y)`` with respect to the logits O.

    The loss is that of ``sequence_cross_entropy``: the step losses
    ``-log softmax(o_t)[y_t]``, summed over time and averaged over the batch.

    Inputs:
    - O: logits for every step, shape (N, T, K).
    - Y: integer targets, shape (N, T), each in [0, K).

    Returns:
    - dO: gradient of the loss with respect to O, shape (N, T, K).
    """
    O, Y = _check_sequence_logits(O, Y)
    N, T, _ = O.shape
    dO = softmax(O)
    dO[np.arange(N)[:, None], np.arange(T)[None, :], Y] -= 1.0
    return dO / N
