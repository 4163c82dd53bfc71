"""Helpers that the assignments' test cells call.

Two kinds of check live here:

- ``assert_close`` and ``assert_scalar_close`` compare one result with an
  expected value and, when they differ, say *what* differs: the shape, the
  dtype, or the largest error and where it is. Visible tests use them.
- ``check_against_reference`` runs a student's function on seeded random
  cases of several sizes (including N = 1 and T = 1) and compares every output
  with the reference implementation in ``rnncourse``. Hidden tests call it, so
  that the feedback a student sees shows one call, not the assertions.

Every failure is an ``AssertionError`` whose message is meant for the student.
Nothing here writes to stderr: nbgrader scores any stderr output as a failure.

The reference functions are looked up once, when this module is imported, so
that rebinding a name in ``rnncourse`` afterwards does not change what is
compared against. That alone does not make grading tamper-proof: a student's
kernel can reach anything in its own process. The course's grading design
(see the instructors' chapter) decides grades outside that kernel.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from . import activations, losses, rnn

__all__ = ["assert_close", "assert_scalar_close", "check_against_reference", "CASES"]

_REFERENCE = {
    "softmax": activations.softmax,
    "sequence_cross_entropy": losses.sequence_cross_entropy,
    "rnn_step_forward": rnn.rnn_step_forward,
    "rnn_forward": rnn.rnn_forward,
    "many_to_one_forward": rnn.many_to_one_forward,
}

_HINTS = {
    "softmax": "subtract the row maximum before exp, and normalise over the last axis only",
    "sequence_cross_entropy": (
        "sum -log yhat of the target class over time, then divide by N; "
        "compute log-softmax with the max subtracted so large logits stay finite"
    ),
    "rnn_step_forward": "h = tanh(b + W h_prev + U x) with the batch on rows: x @ U.T, h_prev @ W.T",
    "rnn_forward": "start from h0, apply the step at every t, and store h_t in Hs[:, t]",
    "many_to_one_forward": "run the RNN over all T steps and apply V, c to the last hidden state only",
}


def _shape_str(shape):
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def assert_close(what, got, expected, rtol=1e-6, atol=1e-8, hint=None):
    """Assert that the array ``got`` matches ``expected``; explain any mismatch.

    Inputs:
    - what: a short description used in the message, e.g. "h for the zero input".
    - got: the value to check; must be a numpy ndarray (not a subclass).
    - expected: float array with the expected values.
    - rtol, atol: tolerances as in ``numpy.isclose``.
    - hint: an optional sentence appended to the message.
    """
    expected = np.asarray(expected)
    tail = f" Hint: {hint}." if hint else ""
    if type(got) is not np.ndarray:
        raise AssertionError(
            f"{what}: expected a numpy array of shape {_shape_str(expected.shape)}, "
            f"got a {type(got).__name__}.{tail}"
        )
    if got.shape != expected.shape:
        raise AssertionError(
            f"{what}: shape {_shape_str(got.shape)}, expected {_shape_str(expected.shape)}.{tail}"
        )
    if not np.issubdtype(got.dtype, np.floating):
        raise AssertionError(f"{what}: dtype {got.dtype}, expected a floating-point dtype.{tail}")
    got64 = got.astype(np.float64)
    exp64 = expected.astype(np.float64)
    bad_finite = ~np.isfinite(got64) & np.isfinite(exp64)
    if bad_finite.any():
        where = tuple(int(i) for i in np.argwhere(bad_finite)[0])
        raise AssertionError(
            f"{what}: {int(bad_finite.sum())} entries are inf or nan where finite values are "
            f"expected, the first at index {where} "
            f"(got {float(got64[where])!r}, expected {float(exp64[where])!r}).{tail}"
        )
    err = np.abs(got64 - exp64)
    allowed = atol + rtol * np.abs(exp64)
    if np.any(err > allowed):
        where = tuple(int(i) for i in np.unravel_index(np.argmax(err - allowed), err.shape))
        n_bad = int(np.sum(err > allowed))
        raise AssertionError(
            f"{what}: {n_bad} of {err.size} entries differ; the largest error is "
            f"{err[where]:.3g} at index {where} (got {got64[where]:.6g}, expected {exp64[where]:.6g}).{tail}"
        )


def assert_scalar_close(what, got, expected, rtol=1e-6, atol=1e-8, hint=None):
    """Assert that ``got`` is a real number close to the float ``expected``."""
    tail = f" Hint: {hint}." if hint else ""
    if isinstance(got, np.ndarray) and got.shape == ():
        got = got[()]
    if isinstance(got, bool) or not isinstance(got, numbers.Real):
        raise AssertionError(f"{what}: expected a single number, got a {type(got).__name__}.{tail}")
    got = float(got)
    if not np.isfinite(got):
        raise AssertionError(f"{what}: got {got!r}, expected {expected:.6g}.{tail}")
    if abs(got - expected) > atol + rtol * abs(expected):
        raise AssertionError(f"{what}: got {got:.8g}, expected {expected:.8g}.{tail}")


# Seeded random cases, one generator per graded function. Each returns a list of
# (label, kwargs); the sizes include N = 1 and T = 1, and large logits where
# numerical stability is part of the task.


def _rnn_params(rng, D, H, K=None, scale=1.0):
    p = {
        "U": rng.normal(0, scale / np.sqrt(D), (H, D)),
        "W": rng.normal(0, scale / np.sqrt(H), (H, H)),
        "b": rng.normal(0, 0.5, H),
    }
    if K is not None:
        p["V"] = rng.normal(0, 1 / np.sqrt(H), (K, H))
        p["c"] = rng.normal(0, 0.5, K)
    return p


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


CASES = {
    "softmax": _cases_softmax,
    "sequence_cross_entropy": _cases_sequence_cross_entropy,
    "rnn_step_forward": _cases_rnn_step_forward,
    "rnn_forward": _cases_rnn_forward,
    "many_to_one_forward": _cases_many_to_one_forward,
}


def _copy_args(kwargs):
    return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in kwargs.items()}


def check_against_reference(name, func, seed=0):
    """Compare ``func`` with the reference ``rnncourse`` function ``name`` on seeded random cases.

    For every case: the call must not raise, must not modify its arguments, and
    must return a value of the reference's type, shape and dtype whose entries
    match within rtol=1e-6, atol=1e-8 (the float64 reference computed on copies
    of the same arguments). Warnings that ``func`` issues are recorded rather
    than printed (stderr would fail the graded cell) and quoted if the case fails.

    Inputs:
    - name: the name of the graded function, a key of ``CASES``.
    - func: the student's function.
    - seed: seed of the random cases.

    Raises:
    - AssertionError naming the function, the case, and what differs.
    """
    if name not in CASES:
        raise ValueError(f"name must be one of {sorted(CASES)}, got {name!r}")
    if not callable(func):
        raise AssertionError(f"{name} is not a function (got a {type(func).__name__}); run the cell that defines it")
    reference = _REFERENCE[name]
    hint = _HINTS.get(name)
    cases = CASES[name](np.random.default_rng(seed))
    for i, (label, kwargs) in enumerate(cases, start=1):
        what = f"{name}, case {i} of {len(cases)} ({label})"
        expected = reference(**_copy_args(kwargs))
        args = _copy_args(kwargs)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                got = func(**args)
        except NotImplementedError:
            raise AssertionError(f"{name} is not implemented yet (it raised NotImplementedError)") from None
        except Exception as err:  # the student's error becomes feedback, not a crash of the test
            raise AssertionError(f"{what}: raised {type(err).__name__}: {err}") from None
        note = f" It warned: {caught[0].category.__name__}: {caught[0].message}." if caught else ""
        try:
            for k, v in kwargs.items():
                if isinstance(v, np.ndarray) and not np.array_equal(args[k], v):
                    raise AssertionError(
                        f"{what}: the function modified its argument {k}; compute new arrays instead"
                    )
            if isinstance(expected, float):
                assert_scalar_close(what, got, expected, hint=hint)
            else:
                assert_close(what, got, expected, hint=hint)
                if got.dtype != expected.dtype:
                    raise AssertionError(
                        f"{what}: dtype {got.dtype}, expected {expected.dtype} (the dtype of the inputs); "
                        "do not convert to another precision"
                    )
        except AssertionError as err:
            raise AssertionError(f"{err}{note}") from None
