"""Grade one notebook: the student's code in the jail, every judgement here.

``grade_notebook`` takes a submitted notebook (after nbgrader has restored its
test cells), and:

1. takes every code cell that is not a test cell (the locked setup, the answers,
   and any cell the student added), in order, turning IPython syntax into plain
   Python;
2. plans, for each test cell, the probes of the check it stands for (its
   ``grade_id`` is ``<function>_<check>``; ``rnncourse.grading.chapters``), with
   inputs drawn from a seed derived from the course's secret, the student, the
   assignment and the cell;
3. runs the cells and then the calls in the jail (``rnncourse.grading.jail``);
4. judges every returned value here, against values computed here, and writes a
   message for each lost point. When a task fails and a graded function it
   usually calls has failed too, the message says so first: the root cause.
   (The other way, grading later tasks with the earlier functions replaced by
   the reference, would put the reference inside the jail, which must never
   hold it; and a student learns more from "fix global_norm first" than from a
   point given for code that cannot run on its own.)

Nothing about a test cell's own code or outputs counts: a test cell edited,
deleted, re-typed as Markdown or made to print anything is graded from the
specification all the same.

The secret (``.grading_secret`` in the course folder, created on first use, never
committed) makes the hidden inputs unknowable in advance, so a notebook cannot
carry precomputed answers. A student's local run draws its own secret. Each
grading also draws a *nonce* that enters every hidden seed, so the hidden inputs
differ every time a notebook is graded: what a first submission might learn of
them (through an error message in its feedback) is of no use to a second one.
The nonce is kept in the grader's report, and ``grade_notebook(..., nonce=...)``
draws the same inputs again, so an instructor can reproduce a grade.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import jail, spec
from .chapters import TASKS, find
from .notebooks import meta, top_level_names

__all__ = ["Verdict", "NotebookResult", "grade_notebook", "course_secret", "advice", "plain_python"]

SECRET_FILE = ".grading_secret"


def course_secret(root="."):
    """The course's grading secret, created (and kept out of git) on first use.

    Several graders may start at once in one course folder (shards of one grading on a shared
    file system): each would otherwise write a secret of its own, and the hidden cases of one
    grading would come from several secrets. So the secret is written whole to a private file
    first and then linked to its name, which fails if another grader got there first; every
    grader then reads the one file, and none can read it half-written.
    """
    path = Path(root) / SECRET_FILE
    if not path.exists():
        tmp = path.with_name(f"{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(secrets.token_hex(32) + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another grader was first: its secret is the course's
        finally:
            os.unlink(tmp)
    secret = path.read_text().strip()
    if len(secret) < 32:
        raise RuntimeError(f"{path} holds no secret (it is {len(secret)} characters long): delete it, and "
                           "the next grading creates a new one")
    return secret


def seed_for(secret, assignment, student, notebook, grade_id, nonce=""):
    text = "\x1f".join([secret, assignment, student, notebook, grade_id] + ([nonce] if nonce else []))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")


@dataclass
class Verdict:
    grade_id: str
    points: float  # the cell's maximum
    passed: bool
    message: str  # for the student: what passed, or what is wrong
    task: str | None = None
    check: str | None = None


@dataclass
class NotebookResult:
    verdicts: dict  # grade_id -> Verdict, in notebook order
    cells: dict  # notebook cell index -> jail Outcome of a student or setup cell
    notes: list  # for the instructor's report
    backend: str
    sandboxed: bool
    advice: dict = field(default_factory=dict)  # cell index -> friendly warnings (never affect grades)
    seconds: float = 0.0
    nonce: str = ""  # this grading's share of the hidden seeds (grade_notebook(..., nonce=...) repeats it)
    enforced: dict = field(default_factory=dict)  # how the jail's limits held (jail.JailRun.enforced)

    @property
    def score(self):
        return sum(v.points for v in self.verdicts.values() if v.passed)

    @property
    def max_score(self):
        return sum(v.points for v in self.verdicts.values())


def plain_python(source):
    """A cell's source with IPython syntax (magics, shell escapes) turned into plain Python calls."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython comes with nbgrader
        return source
    try:
        return TransformerManager().transform_cell(source)
    except Exception:
        return source


_STDLIB = set(getattr(sys, "stdlib_module_names", ())) | {"numpy", "__future__"}
_STUBBED = {"matplotlib", "IPython", "tqdm"}


def advice(source):
    """Friendly warnings about an answer cell (never a reason to lose points by themselves)."""
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        return [f"line {err.lineno}: syntax error ({err.msg})"]
    notes = []
    for node in ast.walk(tree):
        for name in jail.reference_imports(node):
            notes.append(f"line {node.lineno}: imports {name}; the grader runs your code without the course's "
                         "reference package, so this import fails there")
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        for name in names:
            top = name.split(".")[0]
            if top == "rnncourse":
                continue
            if top in _STUBBED:
                notes.append(f"line {node.lineno}: imports {name}; the grader draws no plots (calls to it do "
                             "nothing there)")
            elif top not in _STDLIB:
                notes.append(f"line {node.lineno}: imports {name}; the grader has only numpy and Python's "
                             "standard library")
    return notes


def _names_only_test_cells_define(nb):
    """The top-level names that test cells bind and no other code cell does."""
    in_tests, elsewhere = set(), set()
    for cell in nb.cells:
        if cell.get("cell_type") == "code" or _is_test_cell(cell):
            names = top_level_names(plain_python(cell.get("source", "")))
            (in_tests if _is_test_cell(cell) else elsewhere).update(names)
    return in_tests - elsewhere


def _is_test_cell(cell):
    m = meta(cell)
    return bool(m.get("grade")) and not m.get("solution")


def grade_notebook(nb, secret, assignment, student, notebook, limits=None, kind=None, with_advice=True, nonce=None):
    """Grade one notebook; returns a ``NotebookResult``.

    Inputs:
    - nb: the notebook (nbformat), with nbgrader's metadata; test cells as restored by nbgrader.
    - secret, assignment, student, notebook: what the hidden cases' seeds are derived from.
    - limits: a ``jail.JailLimits``; kind: the jail backend (default: the best available).
    - with_advice: also list friendly warnings about the cells' imports (no effect on grades).
    - nonce: this grading's share of the hidden seeds; by default a fresh random one (pass
      the nonce of an earlier grading, from its report, to draw the same inputs again).
    """
    limits = limits or jail.JailLimits()
    nonce = secrets.token_hex(8) if nonce is None else str(nonce)
    cells, tests = [], []
    for index, cell in enumerate(nb.cells):
        # A test cell is known by its metadata whatever its type (one re-typed as Markdown still
        # counts); its own code never runs: the specification decides.
        if _is_test_cell(cell):
            tests.append((index, meta(cell).get("grade_id", f"cell-{index + 1}"),
                          float(meta(cell).get("points", 0))))
        elif cell.get("cell_type") == "code":
            cells.append((index, plain_python(cell.get("source", ""))))
    probes, calls, by_id = {}, [], {}
    for _, grade_id, _ in tests:
        task, check = find(grade_id)
        if task is None:
            continue
        seed = spec.public_seed(task.name) if check == "visible" else seed_for(secret, assignment, student,
                                                                                notebook, grade_id, nonce)
        probes[grade_id] = spec.plan(task, check, seed)
        for k, probe in enumerate(probes[grade_id]):
            call_id = f"{grade_id}/{k}"
            by_id[call_id] = probe
            calls.append({"id": call_id, "function": task.name, "args": probe.kwargs,
                          "positional": spec.positional_names(task, probe.kwargs)})

    # Each value is judged as it arrives and then dropped: the grader keeps messages, not arrays.
    messages = {}

    def judge(call_id, outcome):
        messages[call_id] = spec.judge_outcome(by_id[call_id], outcome)

    names = {index: cell_name(index) for index, _ in cells}
    run = jail.run_job(cells, calls, limits, kind, on_call=judge, names=names)

    verdicts = {}
    for _, grade_id, points in tests:
        task, check = find(grade_id)
        if task is None:
            verdicts[grade_id] = Verdict(grade_id, points, False, f"no grading specification covers the test "
                                         f"cell {grade_id!r}; ask your instructor", None, None)
            continue
        message = next((messages[f"{grade_id}/{k}"] for k in range(len(probes[grade_id]))
                        if messages.get(f"{grade_id}/{k}") is not None), None)
        if message is None:
            n = len(probes[grade_id])
            verdicts[grade_id] = Verdict(grade_id, points, True, f"{task.name}: {check} check passed "
                                         f"({n} case{'s' if n != 1 else ''}, verified by the grader)", task.name, check)
        else:
            verdicts[grade_id] = Verdict(grade_id, points, False, message, task.name, check)
    _add_root_causes(verdicts)
    test_names = _names_only_test_cells_define(nb)
    for v in verdicts.values():
        if not v.passed:
            v.message = spec.explain_test_cell_names(v.message, test_names)
    notes = list(run.general_notes) + describe_faults(nb, run, calls, limits)
    tips = {}
    if with_advice:
        for index, source in cells:
            found = advice(source)
            if found:
                tips[index] = found
    return NotebookResult(verdicts, run.cells, notes, run.backend, run.sandboxed, tips, run.seconds, nonce,
                          run.enforced)


def cell_name(index):
    """How every message names the cell at ``index`` of ``nb.cells``: counted from 1, Markdown cells included.

    The student's ``check``, the instructor's report, the similarity lines, the preflight's
    findings and the tracebacks in the feedback all count this way, so "cell 16" is one cell.
    """
    return f"cell {index + 1}"


_TASK_HEADING = re.compile(r"^\s*#+\s*Task\s+(\d+)\b", re.IGNORECASE | re.MULTILINE)


def task_labels(nb):
    """{graded function: "task 4, rnn_forward"}, numbered by the notebook's "Task N" headings."""
    labels, number = {}, None
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            found = _TASK_HEADING.search(cell.get("source", ""))
            if found:
                number = found.group(1)
            continue
        grade_id = meta(cell).get("grade_id", "")
        name = grade_id if grade_id in TASKS else (find(grade_id)[0].name if find(grade_id)[0] else None)
        if name and name not in labels and number is not None:
            labels[name] = f"task {number}, {name}"
    return labels


def _cell_role(nb, index, labels):
    m = meta(nb.cells[index])
    if m.get("solution"):
        return f"the answer to {labels.get(m.get('grade_id'), m.get('grade_id') or 'a task')}"
    return "setup" if m else "added by the student"


def _plural(n, one, many=None):
    return f"{n} {one if n == 1 else (many or one + 's')}"


def describe_faults(nb, run, calls, limits):
    """One line per cell that the process failed on, and per function with a call that did.

    A function's line counts every one of its calls by what happened to it, so the counts add
    up to its calls: returned, raised (by exception name), timed out (the alarm inside stopped it
    at its limit), hung (killed by the grader's deadline), ended the process, ran out of memory,
    and skipped (not run because an earlier call of it failed so, or for the reason given).
    A function whose calls only returned or raised has no line: its verdicts say all there is.
    """
    labels = task_labels(nb)
    lines = []
    for index, outcome in sorted(run.cells.items()):
        label = f"{cell_name(index)} ({_cell_role(nb, index, labels)})"
        if outcome.fault:
            lines.append(f"{label} {outcome.fault}: graded without it")
        elif outcome.status == "timeout":
            lines.append(f"{label} did not finish within its {limits.cell_timeout:g} s limit: stopped there, "
                         "and the notebook graded without what it would have defined afterwards")
    counts = {}  # function -> {what happened: how many calls}, in the order things happened
    for call in calls:
        outcome = run.calls[call["id"]]
        error = outcome.error or {}
        if outcome.fault:
            what, fault = outcome.fault, True
        elif error.get("ename") == "NotRun":
            reason = str(error.get("evalue", "")).removeprefix("not run: ")
            after = reason.startswith(f"an earlier call of {call['function']} ")
            what, fault = ("skipped after that" if after else f"not run ({reason})"), True
        elif error.get("ename") == "MemoryError":
            what, fault = "ran out of memory", True
        elif outcome.status == "timeout":
            what, fault = f"timed out (stopped at the {limits.call_timeout:g} s limit)", True
        elif outcome.status == "crashed":  # the jail could not run it at all
            what, fault = f"could not run ({error.get('evalue', 'the jail failed')})", True
        elif outcome.status == "ok":
            what, fault = "returned", False
        elif outcome.status == "missing":
            what, fault = "found no function of that name", False
        else:
            what, fault = f"raised {error.get('ename', 'an error')}", False
        mine = counts.setdefault(call["function"], {"faults": False, "what": {}})
        mine["what"][what] = mine["what"].get(what, 0) + 1
        mine["faults"] |= fault
    for function, mine in counts.items():
        if mine["faults"]:
            total = sum(mine["what"].values())
            parts = ", ".join(f"{n} {what}" for what, n in mine["what"].items())
            lines.append(f"{labels.get(function, function)}: of {_plural(total, 'call')}, {parts}")
    return lines


def _add_root_causes(verdicts):
    failed_tasks = {v.task for v in verdicts.values() if v.task and not v.passed}
    for v in verdicts.values():
        if v.passed or v.task is None:
            continue
        causes = [name for name in TASKS[v.task].calls if name in failed_tasks and name != v.task]
        if causes:
            v.message = (f"{v.task} usually calls {', '.join(causes)}, which failed its own checks: fix "
                         f"{'that' if len(causes) == 1 else 'those'} first, as this failure may follow from it.\n"
                         + v.message)
