"""Grading: what the assignments' test cells call, and the grader that decides the scores.

For notebooks (imported by the assignments' setup and test cells):

- ``assert_close``, ``assert_scalar_close``: the visible tests' assertions, which
  say what differs (type, shape, dtype, or the largest error and where).
- ``grade(grade_id, func)``: the check that names a test cell, run here, in the
  notebook's own process, on fresh random cases. Hidden test cells are one such
  call each. Its verdict helps a student or ``nbgrader validate``; it decides no
  grade.

For instructors (the grade is decided outside the student's process):

- ``spec``: the ``Task`` format, one specification per graded function; the tasks
  themselves are in ``chapters`` (one module per chapter).
- ``jail``: runs a notebook's code and calls of its functions in a jail
  (bubblewrap) and brings back plain numbers.
- ``verify``: grades one notebook: plans the probes from the specifications and a
  secret seed, runs them in the jail, judges the results here.
- ``nbgrader_plugins``: ``VerifiedExecute``, which takes the place of nbgrader's
  Execute step so that ``nbgrader autograde`` and formgrader store verified
  grades; ``CourseCsvExport``; ``RemoveHiddenTests`` for feedback.
- ``instructor``: ``python -m rnncourse.grading.instructor``, the course's
  conveniences over nbgrader (preflight, a batch report, roster, demo).
- ``similarity``: answers closer to the reference or the published solution than independent work
  comes (calibrated on a corpus of independent implementations), for a human to read.
- ``python -m rnncourse.grading check NOTEBOOK``: the grader's verdict, for students.
"""

from __future__ import annotations

from .checks import TestFailure, assert_close, assert_scalar_close, compare

__all__ = ["TestFailure", "assert_close", "assert_scalar_close", "compare", "grade", "check_against_reference",
           "check_gradients_numerically", "check_forecast_error"]


def _run_check(name, check, func, seed):
    from . import spec
    from .chapters import TASKS

    if name not in TASKS:
        raise ValueError(f"name must be one of {sorted(TASKS)}, got {name!r}")
    task = TASKS[name]
    if not callable(func):
        raise TestFailure(f"{name} is not a function (got a {type(func).__name__}); run the cell that defines it")
    for probe in spec.plan(task, check, seed):
        outcome = spec.run_in_process(func, probe, spec.positional_names(task, probe.kwargs))
        message = spec.judge_outcome(probe, outcome)
        if message is not None:
            raise TestFailure(message) from None


def grade(grade_id, func):
    """Run the check that the test cell ``grade_id`` (``<function>_<check>``) stands for, on ``func``.

    Visible checks use their public seed; the others draw a fresh seed on every
    call, as the grader does (whose seed no one can know in advance).

    Raises:
    - TestFailure naming the function, the case, and what differs.
    """
    from . import spec
    from .chapters import find

    task, check = find(grade_id)
    if task is None:
        raise ValueError(f"no graded function has a check named {grade_id!r}")
    seed = spec.public_seed(task.name) if check == "visible" else spec.random_seed()
    _run_check(task.name, check, func, seed)
    print(f"{grade_id}: passed")


def check_against_reference(name, func, seed=0):
    """Compare ``func`` with the reference function ``name`` on the task's cases drawn from ``seed``."""
    _run_check(name, "hidden", func, seed)


def check_gradients_numerically(name, func, seed=0):
    """Check the gradients ``func`` returns against centred differences of the reference forward pass."""
    _run_check(name, "numeric", func, seed)


def check_forecast_error(name, func, seed=0):
    """Check an ``esn_forecast`` on a held-out Mackey-Glass series drawn from ``seed``."""
    _run_check(name, "heldout", func, seed)
