"""One specification per graded function, and the checks built from it.

A ``Task`` says everything the grader needs to know about one function that an
assignment asks for: its reference implementation, a generator of input cases,
the names of its outputs, its tolerances, the finite-difference checks of its
gradients, the hint that points at the likely cause of a failure, the other
graded functions it usually calls, and any check of its own (a held-out error).
The chapter modules (``rnncourse.grading.chapters``) declare the tasks.

A test cell of an assignment is named ``<function>_<check>`` (its nbgrader
``grade_id``) and is scored by that check of that function's task:

- ``visible``: the reference comparison on cases from a public, fixed seed.
- ``hidden``: the reference comparison on cases from a seed drawn at grading
  time from a secret the students never see.

Every check of a backward pass also includes cases of realistic size (``Task.at_scale``),
compared with the reference: the reference takes milliseconds on them, a gradient taken by
finite differences entry by entry minutes, so such differences cannot stand in for the
derivation. (Differences one column at a time stop only where a case is sized by its columns, and
differences that nudge a whole block of elementwise units at once stay cheap at any size;
book/for_instructors.md lists where.)
- ``numeric``: the returned gradients against centred differences of the
  reference *forward* pass (the calculus, not agreement with another
  implementation), on secret cases.
- any name in ``Task.extra``: a check of the task's own (e.g. ``heldout``).

A check is planned as a list of ``Probe``s: the keyword arguments of one call of
the student's function and a ``judge`` that raises ``TestFailure`` when the
outcome of that call is wrong. The grader runs the calls in the jail and judges
the outcomes in its own process; a notebook's ``grade(...)`` call runs the same
probes in the notebook's process, for students and for ``nbgrader validate``.
"""

from __future__ import annotations

import dataclasses
import os
import re
import zlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .. import gradcheck
from .checks import TestFailure, assert_close, compare, describe
from .jail import GraderFunction, Outcome
from .jail_runner import call_with, decode_value, encode_value

GRADIENT_FLOOR = 1e-8  # absolute difference below which a gradient matches its finite differences

__all__ = ["Task", "Probe", "CHECKS", "plan", "judge_outcome", "run_in_process", "public_seed", "copy_args",
           "positional_names"]


@dataclass(frozen=True)
class Task:
    name: str
    chapter: int
    reference: Callable
    cases: Callable  # rng -> [(label, kwargs)]
    hint: str  # the likely cause of a wrong result, in words (never the code)
    outputs: tuple | None = None  # names of the parts of a tuple result
    gradients: Callable | None = None  # (kwargs, rng) -> (kwargs, [(output, pick, variable, forward, upstream)])
    calls: tuple = ()  # graded functions this one usually calls: their failures are root causes
    extra: dict = field(default_factory=dict)  # check name -> function(task, rng) -> [Probe]
    mutates: tuple = ()  # arguments the function is meant to change in place (all others must not change)
    quiet: bool = False  # the task asks for a result without warnings (e.g. no log of 0): a warning fails
    # rng -> [(label, kwargs)]: cases of realistic size added to the hidden check of a backward pass, where
    # a gradient taken by finite differences (two forward passes per entry) cannot finish in a call's time
    at_scale: Callable | None = None
    rtol: float = 1e-6
    atol: float = 1e-8
    grad_tol: float = 1e-7

    def check_names(self):
        names = ["visible", "hidden"] + (["numeric"] if self.gradients else [])
        return names + list(self.extra)


@dataclass
class Probe:
    label: str  # "rnn_forward, case 2 of 4 (N=2, T=1, D=3, H=4)"
    kwargs: dict  # arguments of the student's function (arrays, numbers, dicts, GraderFunctions)
    judge: Callable  # judge(Outcome) -> None, or raises TestFailure


def positional_names(task, kwargs):
    """The arguments to pass by position, in order: the reference's leading parameters that the call sets.

    The notebooks' own tests call the student's functions by position, so the grader
    does too: a correct function whose parameters have other names is graded correct.
    """
    import inspect

    names = []
    for p in inspect.signature(task.reference).parameters.values():
        if p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) or p.name not in kwargs:
            break
        names.append(p.name)
    return names


def public_seed(name):
    """The fixed seed of a task's visible check (known to everyone, by design)."""
    return zlib.crc32(name.encode()) % 2**31


def _copy(v):
    if isinstance(v, np.ndarray):
        return v.copy()
    if isinstance(v, dict):
        return {k: _copy(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return type(v)(_copy(x) for x in v)
    return v


def copy_args(kwargs):
    return {k: _copy(v) for k, v in kwargs.items()}


def _callable_args(kwargs):
    """The arguments with grader-written functions turned into Python functions."""
    return {k: (v.materialise() if isinstance(v, GraderFunction) else _copy(v)) for k, v in kwargs.items()}


def _value_of(task, what, outcome):
    """The returned value, or a TestFailure that says why there is none."""
    tail = f" Hint: {task.hint}." if task.hint else ""
    err = outcome.error if isinstance(outcome.error, dict) else {}
    if outcome.status == "ok":
        return outcome.value
    if outcome.status == "missing":
        raise TestFailure(f"{task.name} is not defined when the notebook has run: check that the cell defining "
                          "it runs without an error and that the function keeps its name")
    if outcome.status == "error" and err.get("ename") == "NotImplementedError":
        raise TestFailure(f"{task.name} is not implemented yet (it raised NotImplementedError)")
    if outcome.status == "timeout":
        raise TestFailure(f"{what}: did not return in time (an endless loop, or far too slow)")
    if outcome.status == "error":
        where = "".join(f"\n{line}" for line in err.get("traceback", [])[-2:])
        raise TestFailure(f"{what}: raised {err.get('ename')}: {err.get('evalue')}{where}")
    raise TestFailure(f"{what}: {err.get('evalue') or outcome.status}.{tail}")


def _with_warnings(outcome, fn):
    try:
        fn()
    except AssertionError as e:
        note = f" It warned: {outcome.warnings[0]}." if outcome.warnings else ""
        raise TestFailure(f"{e}{note}") from None


def _refuse_warnings(task, what, outcome):
    """A task that asks for a result without warnings fails a call that warned (checked by the grader too)."""
    if task.quiet and outcome.status == "ok" and outcome.warnings:
        tail = f" Hint: {task.hint}." if task.hint else ""
        raise TestFailure(f"{what}: the call warned ({outcome.warnings[0]}); this task asks for a result "
                          f"computed without warnings.{tail}")


def _reference_probes(task, rng, at_scale=False):
    cases = task.cases(rng) + (task.at_scale(rng) if at_scale and task.at_scale else [])
    probes = []
    for i, (label, kwargs) in enumerate(cases, start=1):
        what = f"{task.name}, case {i} of {len(cases)} ({label})"
        expected = task.reference(**_callable_args(kwargs))

        def judge(outcome, what=what, expected=expected, kwargs=kwargs):
            value = _value_of(task, what, outcome)
            changed = [k for k in outcome.modified if k not in task.mutates]
            if changed:
                raise TestFailure(f"{what}: the function modified its argument {changed[0]}; "
                                  "compute new arrays instead")
            _with_warnings(outcome, lambda: compare(what, value, expected, task.hint, task.outputs))
            _refuse_warnings(task, what, outcome)  # after the values: a wrong value is the better message

        probes.append(Probe(what, kwargs, judge))
    return probes


def _numeric_probes(task, rng):
    cases = task.cases(rng)
    probes = []
    tail = f" Hint: {task.hint}." if task.hint else ""
    for i, (label, kwargs) in enumerate(cases, start=1):
        what = f"{task.name}, case {i} of {len(cases)} ({label})"
        kwargs, checks = task.gradients(copy_args(kwargs), rng)
        with np.errstate(all="ignore"):
            numeric = [gradcheck.numerical_gradient(f, var, df) for _, _, var, f, df in checks]

        def judge(outcome, what=what, checks=checks, numeric=numeric):
            got = _value_of(task, what, outcome)
            names = task.outputs
            if names is not None and (not isinstance(got, (tuple, list)) or len(got) != len(names)):
                raise TestFailure(f"{what}: expected a tuple ({', '.join(names)}), got {describe(got)}.{tail}")
            for (out_name, pick, _, _, _), num in zip(checks, numeric):
                try:
                    value = pick(got)
                except (KeyError, TypeError, IndexError):
                    raise TestFailure(f"{what}: the result has no {out_name}.{tail}") from None
                label_out = f"{what}, output {out_name}"
                if type(value) is not np.ndarray or value.shape != num.shape:
                    assert_close(label_out, value, num, hint=task.hint)  # explains the type or shape
                if not np.issubdtype(value.dtype, np.floating) or not np.all(np.isfinite(value)):
                    raise TestFailure(f"{label_out}: expected finite floating-point values.{tail}")
                err = gradcheck.relative_error(value, num)
                diff = np.abs(value.astype(np.float64) - num)
                # Centred differences of a float64 forward pass are exact to about 1e-10 in
                # absolute terms, so a tiny gradient may show a relative error above the
                # tolerance from that noise alone: such a gradient passes on the absolute floor.
                if not (err < task.grad_tol or diff.max(initial=0.0) < GRADIENT_FLOOR):
                    where = tuple(int(j) for j in np.unravel_index(np.argmax(diff), diff.shape))
                    raise TestFailure(
                        f"{label_out}: relative error {err:.2g} against centred finite differences of the "
                        f"forward pass (a correct gradient gives below {task.grad_tol:.0e}); the largest "
                        f"difference is {diff[where]:.3g} at index {where} (got {float(value[where]):.6g}, "
                        f"finite differences give {float(num[where]):.6g}).{tail}")
            _refuse_warnings(task, what, outcome)

        probes.append(Probe(what, kwargs, judge))
    return probes


def _at_scale_probes(task, rng):
    """The cases of realistic size alone, compared with the reference (finite differences of the grader's
    own would take as long as a student's)."""
    if task.at_scale is None:
        return []
    return _reference_probes(dataclasses.replace(task, cases=task.at_scale, at_scale=None), rng)


# Every check of a backward pass includes its cases of realistic size: a gradient taken by finite
# differences entry by entry runs out of time on them (column by column too where a case is wide).
CHECKS = {"visible": lambda task, rng: _reference_probes(task, rng, at_scale=True),
          "hidden": lambda task, rng: _reference_probes(task, rng, at_scale=True),
          "numeric": lambda task, rng: _numeric_probes(task, rng) + _at_scale_probes(task, rng)}


def plan(task, check, seed):
    """The probes of one check of one task, from ``seed``."""
    rng = np.random.default_rng(seed)
    if check in task.extra:
        return task.extra[check](task, rng)
    if check == "numeric" and task.gradients is None:
        raise ValueError(f"{task.name} has no gradients to check numerically")
    if check not in CHECKS:
        raise ValueError(f"check must be one of {task.check_names()}, got {check!r}")
    return CHECKS[check](task, rng)


def judge_outcome(probe, outcome):
    """None if the outcome passes the probe, else the message for the student."""
    try:
        probe.judge(outcome)
    except AssertionError as err:
        return str(err)
    return None


def _pristine_changed(before, after):
    if isinstance(before, np.ndarray):
        return not (isinstance(after, np.ndarray) and before.shape == after.shape
                    and np.array_equal(before, after, equal_nan=True))
    if isinstance(before, dict) and isinstance(after, dict):
        return before.keys() != after.keys() or any(_pristine_changed(before[k], after[k]) for k in before)
    return False


def run_in_process(func, probe, positional=()):
    """Call ``func`` on the probe's arguments here, as the jail would, and return the ``Outcome``.

    ``positional``: the arguments passed by position, in order (``positional_names``).
    """
    import warnings

    args = _callable_args(probe.kwargs)
    pristine = copy_args(args)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            gradcheck.GRADED_CALL[0] = True  # as in the jail: finite differences may not be the answer
            try:
                value = call_with(func, args, positional)
            finally:
                gradcheck.GRADED_CALL[0] = False
    except NotImplementedError as err:
        return Outcome("error", {"ename": "NotImplementedError", "evalue": str(err), "traceback": []})
    except Exception as err:  # the student's error becomes a message
        return Outcome("error", {"ename": type(err).__name__, "evalue": str(err), "traceback": []})
    arrays = {}
    value = decode_value(encode_value(value, arrays), arrays)  # what would cross back from the jail
    modified = [k for k in args if _pristine_changed(pristine[k], args[k])]
    return Outcome("ok", value=value, warnings=[f"{w.category.__name__}: {w.message}" for w in caught[:3]],
                   modified=modified)


def explain_test_cell_names(message, test_names):
    """``message`` with a note when it is a NameError for a name that only a test cell defines.

    Test cells do not run when grading (and, in the notebook, their names are undone when they end):
    a function that uses their helpers fails with a NameError that by itself does not say why.
    """
    found = re.search(r"NameError: name '(\w+)' is not defined", " ".join(message.split()))
    if not found or found.group(1) not in test_names:
        return message
    name = found.group(1)
    return (f"{message}\n{name} is defined only in a test cell, and test cells do not run when grading: define "
            f"what your function needs in your own cell.")


def random_seed():
    return int.from_bytes(os.urandom(4), "little")
