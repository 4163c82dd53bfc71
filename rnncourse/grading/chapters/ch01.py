"""Chapter 1, sequences and recurrence: assignment 01_rnn_forward."""

from __future__ import annotations

import numpy as np

from ... import activations, losses, rnn
from ..spec import Task
from ._common import rnn_params as _rnn_params

def _cases_softmax(rng):
    cases = []
    for shape in [(1, 1), (1, 5), (4, 3), (2, 3, 7)]:
        cases.append((f"o of shape {shape}", {"o": rng.normal(0, 3, shape)}))
    cases.append(("large logits (up to 1000)", {"o": rng.normal(0, 1, (3, 4)) + np.array([1000.0, -1000.0, 0.0, 999.0])}))
    return cases


def _cases_sequence_cross_entropy(rng):
    cases = []
    for N, T, K in [(1, 1, 2), (1, 4, 3), (3, 5, 4), (6, 2, 10)]:
        cases.append(
            (f"N={N}, T={T}, K={K}", {"O": rng.normal(0, 2, (N, T, K)), "Y": rng.integers(0, K, (N, T))})
        )
    O = rng.normal(0, 1, (2, 3, 4))
    O[0, 0, 0] = 800.0
    Y = np.array([[1, 0, 2], [3, 3, 0]])
    cases.append(("a confident wrong prediction (logit 800)", {"O": O, "Y": Y}))
    return cases


def _cases_rnn_step_forward(rng):
    cases = []
    for N, D, H in [(1, 1, 1), (1, 3, 2), (4, 5, 3), (7, 2, 6)]:
        p = _rnn_params(rng, D, H)
        cases.append(
            (
                f"N={N}, D={D}, H={H}",
                {"x": rng.normal(0, 1, (N, D)), "h_prev": rng.uniform(-1, 1, (N, H)), **p},
            )
        )
    return cases


def _cases_rnn_forward(rng):
    cases = []
    for N, T, D, H in [(1, 1, 1, 1), (2, 1, 3, 4), (1, 6, 2, 3), (5, 4, 3, 5)]:
        p = _rnn_params(rng, D, H)
        cases.append(
            (
                f"N={N}, T={T}, D={D}, H={H}",
                {"X": rng.normal(0, 1, (N, T, D)), "h0": rng.uniform(-1, 1, (N, H)), **p},
            )
        )
    return cases


def _cases_many_to_one_forward(rng):
    cases = []
    for N, T, D, H, K in [(1, 1, 1, 1, 2), (3, 1, 2, 3, 2), (2, 5, 3, 4, 3), (4, 7, 2, 6, 5)]:
        p = _rnn_params(rng, D, H, K)
        cases.append(
            (
                f"N={N}, T={T}, D={D}, H={H}, K={K}",
                {"X": rng.normal(0, 1, (N, T, D)), "h0": rng.uniform(-1, 1, (N, H)), **p},
            )
        )
    return cases


TASKS = [
    Task("softmax", 1, activations.softmax, _cases_softmax,
         "large logits overflow exp unless the largest logit of each row is subtracted first, and each row "
         "must be normalised over the classes (the last axis) only"),
    Task("sequence_cross_entropy", 1, losses.sequence_cross_entropy, _cases_sequence_cross_entropy,
         "the loss adds -log of the target's probability over every time step and averages over the batch "
         "only; a log of a softmax that underflowed to 0 gives inf, so work with log-probabilities"),
    Task("rnn_step_forward", 1, rnn.rnn_step_forward, _cases_rnn_step_forward,
         "with the batch on the rows, each weight matrix multiplies the states from the right, transposed; "
         "a square W hides a missing transpose until W is not symmetric"),
    Task("rnn_forward", 1, rnn.rnn_forward, _cases_rnn_forward,
         "the first step starts from h0, each later step from the state the previous step produced, and "
         "every state is kept, including the last", calls=("rnn_step_forward",)),
    Task("many_to_one_forward", 1, rnn.many_to_one_forward, _cases_many_to_one_forward,
         "the output layer reads only the state after the last step", calls=("rnn_forward", "rnn_step_forward")),
]
