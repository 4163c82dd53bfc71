"""Assertions that explain themselves, for the visible tests and for the grader.

``assert_close`` and ``assert_scalar_close`` compare one result with an expected
value and, when they differ, say *what* differs: the type, the shape, the dtype,
or the largest error and where it is. ``compare`` walks a tuple or dict of
results the same way. Every failure is an ``AssertionError`` whose message is
meant for the student; nothing here writes to stderr.

This module imports numpy and the standard library only: it is copied into the
grader's jail, where the visible tests' helpers must import.
"""

from __future__ import annotations

import numbers
import textwrap

import numpy as np

__all__ = ["TestFailure", "assert_close", "assert_equal_integers", "assert_scalar_close", "compare", "describe"]


class TestFailure(AssertionError):
    """A failed check, with a message for the student, wrapped to 80 columns.

    Wrapped so that tools that cut long lines still show the whole message:
    ``nbgrader validate`` indents each line of a traceback by 4 and cuts it at 87
    characters by default, and the first line starts with "TestFailure: ".
    """

    __test__ = False  # not a pytest test class
    WIDTH = 80

    def __str__(self):
        lines = []
        for i, part in enumerate(super().__str__().split("\n")):
            lead = len("TestFailure: ") if i == 0 else 0
            wrapped = textwrap.fill(part, self.WIDTH, initial_indent=" " * lead, break_long_words=False,
                                    break_on_hyphens=False)
            lines.append(wrapped[lead:] if wrapped else part)
        return "\n".join(lines)


def describe(value):
    """A short description of a value's type for messages ("a list", "an array of shape (2,)")."""
    if type(value).__name__ == "Unsendable":  # a value the jail could not send back as plain data
        return value.what
    if type(value) is np.ndarray:
        return f"an array of shape {_shape_str(value.shape)}"
    return f"a {type(value).__name__}"


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
        raise TestFailure(
            f"{what}: expected a numpy array of shape {_shape_str(expected.shape)}, "
            f"got {describe(got)}.{tail}"
        )
    if got.shape != expected.shape:
        raise TestFailure(
            f"{what}: shape {_shape_str(got.shape)}, expected {_shape_str(expected.shape)}.{tail}"
        )
    if not np.issubdtype(got.dtype, np.floating):
        raise TestFailure(f"{what}: dtype {got.dtype}, expected a floating-point dtype.{tail}")
    got64 = got.astype(np.float64)
    exp64 = expected.astype(np.float64)
    bad_finite = ~np.isfinite(got64) & np.isfinite(exp64)
    if bad_finite.any():
        where = tuple(int(i) for i in np.argwhere(bad_finite)[0])
        raise TestFailure(
            f"{what}: {int(bad_finite.sum())} entries are inf or nan where finite values are "
            f"expected, the first at index {where} "
            f"(got {float(got64[where])!r}, expected {float(exp64[where])!r}).{tail}"
        )
    err = np.abs(got64 - exp64)
    allowed = atol + rtol * np.abs(exp64)
    if np.any(err > allowed):
        where = tuple(int(i) for i in np.unravel_index(np.argmax(err - allowed), err.shape))
        n_bad = int(np.sum(err > allowed))
        raise TestFailure(
            f"{what}: {n_bad} of {err.size} entries differ; the largest error is "
            f"{err[where]:.3g} at index {where} (got {got64[where]:.6g}, expected {exp64[where]:.6g}).{tail}"
        )


def assert_scalar_close(what, got, expected, rtol=1e-6, atol=1e-8, hint=None):
    """Assert that ``got`` is a real number close to the float ``expected``."""
    tail = f" Hint: {hint}." if hint else ""
    if isinstance(got, np.ndarray) and got.shape == ():
        got = got[()]
    if isinstance(got, bool) or not isinstance(got, numbers.Real):
        raise TestFailure(f"{what}: expected a single number, got {describe(got)}.{tail}")
    got = float(got)
    if not np.isfinite(got):
        raise TestFailure(f"{what}: got {got!r}, expected {expected:.6g}.{tail}")
    if abs(got - expected) > atol + rtol * abs(expected):
        raise TestFailure(f"{what}: got {got:.8g}, expected {expected:.8g}.{tail}")


def assert_equal_integers(what, got, expected, hint=None):
    """Assert that ``got`` is an integer array equal to ``expected`` (counts, indices): no tolerance."""
    expected = np.asarray(expected)
    tail = f" Hint: {hint}." if hint else ""
    if type(got) is not np.ndarray:
        raise TestFailure(f"{what}: expected a numpy array of integers of shape {_shape_str(expected.shape)}, "
                          f"got {describe(got)}.{tail}")
    if got.shape != expected.shape:
        raise TestFailure(f"{what}: shape {_shape_str(got.shape)}, expected {_shape_str(expected.shape)}.{tail}")
    if got.dtype == bool or not np.issubdtype(got.dtype, np.integer):
        raise TestFailure(f"{what}: dtype {got.dtype}, expected an integer dtype (counts, indices or tokens).{tail}")
    wrong = got != expected
    if wrong.any():
        where = tuple(int(i) for i in np.argwhere(wrong)[0])
        raise TestFailure(f"{what}: {int(wrong.sum())} of {wrong.size} entries differ, the first at index {where} "
                          f"(got {int(got[where])}, expected {int(expected[where])}).{tail}")


def compare(what, got, expected, hint, names=None, top=True):
    """Compare a result with the reference's: a float, an array, a tuple or a dict of them.

    ``names`` names the parts of a tuple result (``("dx", "dh_prev", ...)``) for messages.
    """
    tail = f" Hint: {hint}." if hint else ""
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            size = f"of {len(got)} values" if isinstance(got, (tuple, list)) else describe(got)
            spelled = ", ".join(names) if names else f"{len(expected)} values"
            raise TestFailure(f"{what}: expected a tuple ({spelled}), got {size}.{tail}")
        for i, (g, e) in enumerate(zip(got, expected)):
            compare(f"{what}, output {names[i] if names else i}", g, e, hint, top=False)
    elif isinstance(expected, dict):
        if not isinstance(got, dict):
            raise TestFailure(f"{what}: expected a dict with keys {sorted(expected)}, got {describe(got)}.{tail}")
        if set(got) != set(expected):
            raise TestFailure(f"{what}: keys {sorted(got)}, expected {sorted(expected)}.{tail}")
        for k in expected:
            compare(f"{what}, value for key {k!r}" if top else f"{what}[{k!r}]", got[k], expected[k], hint, top=False)
    elif isinstance(expected, float):
        assert_scalar_close(what, got, expected, hint=hint)
    elif isinstance(expected, np.ndarray) and np.issubdtype(expected.dtype, np.integer):
        assert_equal_integers(what, got, expected, hint=hint)
    else:
        assert_close(what, got, expected, hint=hint)
        if got.dtype != expected.dtype:
            raise TestFailure(
                f"{what}: dtype {got.dtype}, expected {expected.dtype} (the dtype of the inputs); "
                "do not convert to another precision"
            )
