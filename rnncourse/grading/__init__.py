"""Grading: what the assignments' test cells call, and the grader that decides the scores.

For notebooks (imported by the assignments' setup and test cells):

- ``assert_close``, ``assert_scalar_close``: the visible tests' assertions, which
  say what differs (type, shape, dtype, or the largest error and where).
- ``grade(grade_id, func)``: the check that names a test cell, run here, in the
  notebook's own process. A visible test cell starts with one such call: it runs
  the very public cases the grader scores that cell on, so what passes here passes
  when graded. Hidden test cells are one such call each, on fresh random cases.
  Its verdict helps a student or ``nbgrader validate``; it decides no grade.
- ``forget_test_cell_names()``: called by the setup cell; from then on, whatever a
  test cell defines or rebinds is undone when the cell ends, because test cells do
  not run when grading and a function that leans on their names would fail there.

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

import re

from .checks import TestFailure, assert_close, assert_scalar_close, compare
from .notebooks import top_level_names

__all__ = ["TestFailure", "assert_close", "assert_scalar_close", "compare", "grade", "examples_of",
           "forget_test_cell_names", "check_against_reference", "check_gradients_numerically", "check_forecast_error"]


def _first_failure(task, check, func, seed):
    """The message of the first probe of ``check`` that ``func`` fails, or None."""
    from . import spec

    if not callable(func):
        return f"{task.name} is not a function (got a {type(func).__name__}); run the cell that defines it"
    for probe in spec.plan(task, check, seed):
        outcome = spec.run_in_process(func, probe, spec.positional_names(task, probe.kwargs))
        message = spec.judge_outcome(probe, outcome)
        if message is not None:
            return message
    return None


def _run_check(name, check, func, seed):
    from .chapters import TASKS

    if name not in TASKS:
        raise ValueError(f"name must be one of {sorted(TASKS)}, got {name!r}")
    message = _first_failure(TASKS[name], check, func, seed)
    if message is not None:
        raise TestFailure(message) from None


def _failing_callees(task, func):
    """The graded functions ``task`` usually calls that, as defined beside ``func``, fail their visible check.

    The grader names such a function as the root cause of a failure (``verify``); a visible cell says
    the same, first, so that a student fixes the function upstream before the one that inherits its bug.
    """
    from . import spec
    from .chapters import TASKS

    namespace = getattr(func, "__globals__", {})
    failing = []
    for name in task.calls:
        callee = namespace.get(name)
        if name in TASKS and callable(callee) and _first_failure(TASKS[name], "visible", callee,
                                                                 spec.public_seed(name)) is not None:
            failing.append(name)
    return failing


def grade(grade_id, func):
    """Run the check that the test cell ``grade_id`` (``<function>_<check>``) stands for, on ``func``.

    A visible check runs the task's public cases, from the seed the grader uses for that cell, so
    its verdict here is the grader's. The others draw a fresh seed on every call, as the grader
    does (whose seed no one can know in advance).

    Raises:
    - TestFailure naming the function, the case, and what differs; when ``func`` fails and a graded
      function it usually calls fails its own visible check, that function is named first.
    """
    from . import spec
    from .chapters import find

    task, check = find(grade_id)
    if task is None:
        raise ValueError(f"no graded function has a check named {grade_id!r}")
    seed = spec.public_seed(task.name) if check == "visible" else spec.random_seed()
    message = _first_failure(task, check, func, seed)
    if message is not None:
        message = spec.explain_test_cell_names(message, _FORGOTTEN)
        causes = _failing_callees(task, func) if callable(func) else []
        if causes:
            message = (f"{task.name} usually calls {', '.join(causes)}, which fails its own visible tests: fix "
                       f"{'that' if len(causes) == 1 else 'those'} first, as this failure may follow from it.\n"
                       + message)
        raise TestFailure(message) from None
    if check == "visible":
        n = len(spec.plan(task, check, seed))
        print(f"{task.name}: the grader's {n} public case{'s' if n != 1 else ''} passed")
    else:
        print(f"{grade_id}: passed")


class examples_of:
    """``with examples_of(name):`` holds the examples of a visible cell, after the grader's public cases.

    A visible cell first runs the public cases the grader scores it on (``grade``): they decide, in
    the notebook as when graded. The examples after them explain, on small cases worked out in the
    cell (special inputs, explicit loops, finite differences), what is expected. An example that fails
    although the public cases passed is reported, and the cell does not fail, since the grader will
    give it its points; the hidden cases, drawn anew, may well find the same mistake.
    """

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None or not issubclass(kind, Exception):
            return False
        print(f"{self.name}: the grader's public cases pass, so this cell gets its points when graded, but an "
              f"example of this cell fails:\n{value}\nThe hidden cases may find the same mistake: fix it first.")
        return True


# The source of a test cell: it calls grade("<function>_<check>", ...). Hidden test cells of a
# released notebook are comments only, and define nothing.
_TEST_CELL = re.compile(r"""^\s*grade\(\s*["']\w+["']""", re.MULTILINE)
# Names IPython itself binds after a cell (output history), which are not the cell's.
_IPYTHON_NAMES = re.compile(r"^_(?:i{1,3}|i?\d+|_{1,2})?$")


def forget_test_cell_names():
    """From now on, undo what each test cell defines or rebinds in the notebook, when the cell ends.

    Test cells do not run when grading: a function that uses a helper or a variable a test cell
    made works in the notebook and fails with a NameError (or other values) when graded. Undoing
    their names here makes the notebook behave as the grader does. Has an effect only in IPython
    (Jupyter, nbclient, ``nbgrader validate``); calling it twice registers once.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "_rnncourse_forgets_test_cells", False):
        return
    saved = {}

    def before(info):
        saved.clear()
        source = getattr(info, "raw_cell", "") or ""
        if _TEST_CELL.search(source):
            saved["names"] = dict(shell.user_ns)
            _FORGOTTEN.update(top_level_names(shell.transform_cell(source)))

    def after(result):
        names = saved.pop("names", None)
        if names is None:
            return
        namespace = shell.user_ns
        for key in [k for k in namespace if k not in names and not _IPYTHON_NAMES.match(k)]:
            del namespace[key]
        for key, value in names.items():
            if namespace.get(key, _MISSING) is not value:
                namespace[key] = value

    shell.events.register("pre_run_cell", before)
    shell.events.register("post_run_cell", after)
    shell._rnncourse_forgets_test_cells = True


_MISSING = object()
_FORGOTTEN = set()  # names that test cells bind (and that are undone), to explain a NameError


def check_against_reference(name, func, seed=0):
    """Compare ``func`` with the reference function ``name`` on the task's cases drawn from ``seed``."""
    _run_check(name, "hidden", func, seed)


def check_gradients_numerically(name, func, seed=0):
    """Check the gradients ``func`` returns against centred differences of the reference forward pass."""
    _run_check(name, "numeric", func, seed)


def check_forecast_error(name, func, seed=0):
    """Check an ``esn_forecast`` on a held-out Mackey-Glass series drawn from ``seed``."""
    _run_check(name, "heldout", func, seed)
