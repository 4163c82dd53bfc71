"""rnncourse.grading.verify: grading real notebooks in the jail, seeds, the secret, messages and advice.

The notebooks are the released exercises filled in from the solutions (what a
student who solved everything hands in), the untouched releases, and variants
of them with one answer made wrong. The simulated hostile submissions of
``rnncourse.grading.simulate`` are graded directly (without nbgrader) in the
slow test at the end.
"""

from __future__ import annotations

import ast
import re
import stat

import nbformat
import numpy as np
import pytest

from rnncourse.grading import jail, simulate, spec, verify
from rnncourse.grading.chapters import TASKS, find
from rnncourse.grading.jail import JailLimits
from rnncourse.grading.notebooks import filled_release, meta
from support import ASSIGNMENTS, EXERCISES, notebooks, read

LIMITS = JailLimits(cell_timeout=10, call_timeout=5)  # correct code needs well under a second
SECRET = "0123456789abcdef" * 4


def pairs(assignment):
    """(notebook name, release notebook, source notebook) for each notebook of an assignment."""
    return [(src.stem, read(EXERCISES / assignment / src.name), read(src)) for src in notebooks(assignment)]


def grade(nb, assignment, name, student="alice", **kwargs):
    return verify.grade_notebook(nb, SECRET, assignment, student, name, LIMITS, **kwargs)


def test_every_assignment_has_a_release_to_grade():
    assert ASSIGNMENTS, "no assignment in solutions/"
    for assignment in ASSIGNMENTS:
        assert pairs(assignment), f"no notebook in solutions/{assignment}"


def _source_points(source):
    return sum(float(meta(c).get("points", 0)) for c in source.cells
               if meta(c).get("grade") and not meta(c).get("solution"))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_filled_release_gets_full_marks(assignment):
    for name, release, source in pairs(assignment):
        result = grade(filled_release(release, source), assignment, name)
        failed = {g: v.message for g, v in result.verdicts.items() if not v.passed}
        assert not failed, failed
        assert result.max_score == _source_points(source) > 0
        assert result.score == result.max_score
        # Every cell a student runs (setup, answers) runs in the jail too: none may fail there.
        errors = {i: o.message() for i, o in result.cells.items() if o.status != "ok"}
        assert not errors, errors
        assert result.notes == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_release_gets_zero_saying_not_implemented_yet(assignment):
    for name, release, source in pairs(assignment):
        result = grade(release, assignment, name)
        assert result.score == 0 and result.max_score == _source_points(source)
        for v in result.verdicts.values():
            assert not v.passed
            assert "not implemented yet" in v.message, f"{v.grade_id}: {v.message}"


# ------------------------------------------------------------------ seeds


def _cases(grade_id, seed):
    task, check = find(grade_id)
    return [p.kwargs for p in spec.plan(task, check, seed)]


def _same(x, y):
    """Equal case inputs: arrays, numbers, dicts, lists and grader functions, compared all the way down."""
    if isinstance(x, jail.GraderFunction) or isinstance(y, jail.GraderFunction):
        return type(x) is type(y) and (x.source, x.name) == (y.source, y.name) and _same(x.globals, y.globals)
    if isinstance(x, dict) or isinstance(y, dict):
        return type(x) is type(y) and x.keys() == y.keys() and all(_same(x[k], y[k]) for k in x)
    if isinstance(x, (list, tuple)) or isinstance(y, (list, tuple)):
        return type(x) is type(y) and len(x) == len(y) and all(_same(a, b) for a, b in zip(x, y))
    if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
        return np.shape(x) == np.shape(y) and bool(np.array_equal(x, y, equal_nan=True))
    return x == y


def _same_cases(a, b):
    return _same(list(a), list(b))


BASE = dict(secret=SECRET, assignment="01_rnn_forward", student="alice", notebook="01_rnn_forward",
            grade_id="rnn_step_forward_hidden")


def _seed(**changes):
    fields = {**BASE, **changes}
    return verify.seed_for(fields["secret"], fields["assignment"], fields["student"], fields["notebook"],
                           fields["grade_id"])


def test_hidden_cases_are_the_same_for_the_same_secret_student_notebook_and_cell():
    assert _seed() == _seed()
    assert _same_cases(_cases(BASE["grade_id"], _seed()), _cases(BASE["grade_id"], _seed()))


@pytest.mark.parametrize("change", [{"student": "bob"}, {"secret": "f" * 64}],
                         ids=["another-student", "another-secret"])
def test_hidden_cases_differ_between_students_and_between_secrets(change):
    assert not _same_cases(_cases(BASE["grade_id"], _seed()), _cases(BASE["grade_id"], _seed(**change)))


@pytest.mark.parametrize("field", ["secret", "assignment", "student", "notebook", "grade_id"])
def test_every_part_of_the_seed_matters(field):
    assert _seed() != _seed(**{field: BASE[field] + "x"})


def test_seed_parts_cannot_run_together():
    """('ab', 'c') and ('a', 'bc') are different students of different notebooks, so different seeds."""
    assert _seed(student="ab", notebook="c") != _seed(student="a", notebook="bc")


def test_visible_cases_come_from_the_public_seed_for_everyone():
    for name in TASKS:
        a = _cases(f"{name}_visible", spec.public_seed(name))
        b = _cases(f"{name}_visible", spec.public_seed(name))
        assert _same_cases(a, b), name


def test_grade_notebook_draws_visible_cases_publicly_and_hidden_ones_from_the_secret(monkeypatch):
    """The probes that reach the jail: visible ones equal for all, hidden ones from seed_for."""
    sent = {}

    def fake_run_job(cells, calls, limits=None, kind=None, on_call=None, names=None):
        sent[len(sent)] = calls
        outcomes = {c["id"]: jail.Outcome("missing") for c in calls}
        for call_id, outcome in outcomes.items():
            on_call(call_id, outcome)
        return jail.JailRun("fake", True, {}, outcomes, [])

    monkeypatch.setattr(jail, "run_job", fake_run_job)
    name, release, _ = pairs("01_rnn_forward")[0]
    for student, secret, nonce in [("alice", SECRET, "n1"), ("bob", SECRET, "n1"), ("alice", "f" * 64, "n1"),
                                   ("alice", SECRET, "n2"), ("alice", SECRET, "n1")]:
        result = verify.grade_notebook(release, secret, "01_rnn_forward", student, name, LIMITS, nonce=nonce)
        assert result.nonce == nonce
    by_cell = []
    for calls in sent.values():
        grouped = {}
        for c in calls:
            grouped.setdefault(c["id"].split("/")[0], []).append(c["args"])
        by_cell.append(grouped)
    alice, bob, alice_other_secret, alice_regraded, alice_reproduced = by_cell
    assert "rnn_step_forward_visible" in alice and "rnn_step_forward_hidden" in alice
    for grade_id in alice:
        task, check = find(grade_id)
        if check == "visible":
            expected = _cases(grade_id, spec.public_seed(task.name))
            assert _same_cases(alice[grade_id], expected) and _same_cases(bob[grade_id], expected)
            assert _same_cases(alice_other_secret[grade_id], expected)
            assert _same_cases(alice_regraded[grade_id], expected)
        else:
            expected = _cases(grade_id, verify.seed_for(SECRET, "01_rnn_forward", "alice", name, grade_id, "n1"))
            assert _same_cases(alice[grade_id], expected), grade_id
            assert not _same_cases(bob[grade_id], expected), grade_id
            assert not _same_cases(alice_other_secret[grade_id], expected), grade_id
            # Graded again, the same student gets other hidden inputs; the recorded nonce repeats them.
            assert not _same_cases(alice_regraded[grade_id], expected), grade_id
            assert _same_cases(alice_reproduced[grade_id], expected), grade_id


def test_every_grading_draws_a_fresh_nonce_and_reports_it():
    name, release, _ = pairs("01_rnn_forward")[0]
    first = verify.grade_notebook(release, SECRET, "01_rnn_forward", "alice", name, LIMITS, with_advice=False)
    second = verify.grade_notebook(release, SECRET, "01_rnn_forward", "alice", name, LIMITS, with_advice=False)
    assert len(first.nonce) == 16 and first.nonce != second.nonce


# ------------------------------------------------------------------ the secret


def test_course_secret_is_created_once_private_and_kept(tmp_path):
    secret = verify.course_secret(tmp_path)
    path = tmp_path / verify.SECRET_FILE
    assert re.fullmatch(r"[0-9a-f]{64}", secret)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert verify.course_secret(tmp_path) == secret and verify.course_secret(str(tmp_path)) == secret
    assert path.read_text() == text


def test_course_secrets_of_two_courses_differ(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert verify.course_secret(tmp_path / "a") != verify.course_secret(tmp_path / "b")


# ------------------------------------------------------------------ messages


def _with_answer(nb, grade_id, edit):
    """A copy of ``nb`` whose answer cell ``grade_id`` has the source ``edit(source)``."""
    nb = nbformat.from_dict(nb)
    cells = [c for c in nb.cells if meta(c).get("grade_id") == grade_id and meta(c).get("solution")]
    assert len(cells) == 1, f"no answer cell {grade_id}"
    new = edit(cells[0].source)
    assert new != cells[0].source, "the edit changed nothing"
    cells[0].source = new
    return nb


def test_failure_of_a_called_function_is_named_first_as_the_root_cause():
    name, release, source = pairs("01_rnn_forward")[0]
    doubled = _with_answer(filled_release(release, source), "rnn_step_forward", lambda s: s + (
        "\n\n_right_step = rnn_step_forward\n\n\ndef rnn_step_forward(x, h_prev, U, W, b):\n"
        "    return 2 * _right_step(x, h_prev, U, W, b)\n"))
    result = grade(doubled, "01_rnn_forward", name)
    assert not result.verdicts["rnn_step_forward_visible"].passed
    assert not result.verdicts["rnn_step_forward_hidden"].passed
    for grade_id in ("rnn_forward_visible", "rnn_forward_hidden"):
        v = result.verdicts[grade_id]
        assert not v.passed
        cause, own = v.message.split("\n", 1)
        assert cause.startswith("rnn_forward usually calls rnn_step_forward, which failed its own checks"), cause
        assert own.startswith("rnn_forward, case "), own
        assert "rnn_step_forward" not in own.split(":")[0]
    # The functions that do not call rnn_step_forward are untouched.
    assert result.verdicts["softmax_hidden"].passed


def test_missing_transpose_in_rnn_step_forward_loses_its_visible_and_hidden_points():
    """A square W hides a missing transpose only if W is symmetric: the public cases are not."""
    task = TASKS["rnn_step_forward"]
    public = spec.plan(task, "visible", spec.public_seed(task.name))
    assert any(not np.allclose(p.kwargs["W"], p.kwargs["W"].T) for p in public)
    name, release, source = pairs("01_rnn_forward")[0]
    wrong = _with_answer(filled_release(release, source), "rnn_step_forward",
                         lambda s: s.replace("h_prev @ W.T", "h_prev @ W"))
    result = grade(wrong, "01_rnn_forward", name)
    for grade_id in ("rnn_step_forward_visible", "rnn_step_forward_hidden"):
        v = result.verdicts[grade_id]
        assert not v.passed
        assert v.message.startswith("rnn_step_forward, case "), v.message
        assert "transposed" in v.message  # the hint
    assert result.verdicts["softmax_hidden"].passed


# ------------------------------------------------------------------ advice and plain Python


@pytest.mark.parametrize("source, says", [
    ("import rnncourse.rnn", "without the course's reference package"),
    ("from rnncourse.rnn import rnn_forward", "without the course's reference package"),
    ("import rnncourse", "without the course's reference package"),
    ("import scipy", "only numpy and Python's standard library"),
    ("from sklearn.linear_model import Ridge", "only numpy and Python's standard library"),
    ("import matplotlib.pyplot as plt", "draws no plots"),
])
def test_advice_flags_imports_that_do_not_work_in_the_jail(source, says):
    notes = verify.advice("x = 1\n" + source)
    assert len(notes) == 1 and notes[0].startswith("line 2: imports ") and says in notes[0], notes


@pytest.mark.parametrize("source", [
    "import numpy as np", "import numpy.linalg", "import itertools", "import math, collections",
    "from rnncourse.gradcheck import numerical_gradient", "from rnncourse.grading import assert_close",
    "from __future__ import annotations", "from . import sibling",
])
def test_advice_leaves_imports_that_work_in_the_jail_alone(source):
    assert verify.advice(source) == []


def test_advice_about_the_tools_matches_what_the_jail_has():
    """BUG (exposed, not fixed): these imports work in the jail (its toolkit has rnncourse.gradcheck and
    rnncourse.grading.checks), yet advice() tells the student "this import fails there"."""
    for source in ("from rnncourse import gradcheck", "import rnncourse.grading.checks",
                   "from rnncourse.grading.checks import assert_close"):
        assert verify.advice(source) == [], source


def test_advice_reports_a_syntax_error_with_its_line():
    assert verify.advice("x = 1\ndef f(:\n") == ["line 2: syntax error (invalid syntax)"]


def test_plain_python_turns_magics_and_shell_escapes_into_calls():
    source = "%matplotlib inline\n!ls -l\nx = 1\nfiles = !ls\n"
    out = verify.plain_python(source)
    ast.parse(out)  # valid Python
    assert not any(line.lstrip().startswith(("%", "!")) for line in out.splitlines()), out
    assert "get_ipython()" in out and "x = 1" in out


def test_plain_python_leaves_plain_python_and_broken_code_alone():
    assert verify.plain_python("x = 1\nprint(x)\n") == "x = 1\nprint(x)\n"
    assert "def f(" in verify.plain_python("def f(:\n")


def test_magics_run_in_the_jail_as_calls_that_do_nothing(jail_kind):
    cells = [(0, verify.plain_python("%matplotlib inline\n!ls\nx = 41")), (1, "print(x + 1)")]
    result = jail.run_job(cells, [], JailLimits(cell_timeout=2, call_timeout=1), jail_kind)
    assert result.cells[0].status == "ok", result.cells[0].message()
    assert result.cells[1].stdout == "42\n"


# ------------------------------------------------------------------ frames forged by student code


FORGE_ERRORS = """
import json, os, struct

def frame(meta):
    doc = json.dumps({"m": meta, "a": []}).encode()
    body = struct.pack(">I", len(doc)) + doc
    return struct.pack(">Q", len(body)) + body

for fd in sorted(int(n) for n in os.listdir("/proc/self/fd")):
    if fd > 2:
        try:
            for k in range(8):
                key = f"rnn_step_forward_hidden/{k}"
                os.write(fd, frame({"event": "call", "key": key, "status": "error", "error": "boom"}))
                os.write(fd, frame({"event": "call", "key": key, "status": "ok", "value": 1.0}))
        except OSError:
            pass
"""


def test_frames_forged_by_a_cell_do_not_crash_the_grader(jail_kind):
    """A cell can write frames to the result channel it inherits, shaped like replies to calls to come
    (an ``error`` that is a string, a value for a hidden call): a reply that does not answer the command
    in flight, or breaks the format, ends that cell, and grading goes on without it."""
    name, release, source = pairs("01_rnn_forward")[0]
    nb = filled_release(release, source)
    nb.cells.append(nbformat.v4.new_code_cell(FORGE_ERRORS))
    result = verify.grade_notebook(nb, SECRET, "01_rnn_forward", "mallory", name, LIMITS, kind=jail_kind)
    assert result.score == result.max_score == _source_points(source)
    forging = len(nb.cells) - 1
    assert result.cells[forging].error["ename"] == "CellLeftOut"
    assert any(note.startswith(f"cell {forging + 1} (added by the student) sent a malformed reply")
               for note in result.notes), result.notes


# ------------------------------------------------------------------ simulated submissions


@pytest.fixture(scope="module")
def bptt():
    name, release, source = pairs("02_bptt")[0]
    return name, release, source


@pytest.mark.slow
@pytest.mark.parametrize("kind", [k for k in simulate.KINDS if not k.preflight], ids=lambda k: k.name)
def test_simulated_submission_gets_exactly_its_expected_points(bptt, kind, jail_kind):
    """Advice off (the "policy off" case): the score alone must be right, whatever the submission does."""
    name, release, source = bptt
    files = simulate.build(kind, release, source, f"{name}.ipynb",
                           (SECRET, "02_bptt", kind.name, simulate.EARLIER_NONCE))
    nb = nbformat.reads(files[f"{name}.ipynb"], as_version=4)
    result = verify.grade_notebook(nb, SECRET, "02_bptt", kind.name, name,
                                   JailLimits(cell_timeout=5, call_timeout=2), kind=jail_kind,
                                   with_advice=False)
    expected = simulate.expected_points(kind, source)
    lost = {g: v.message for g, v in result.verdicts.items() if not v.passed}
    assert result.score == expected, \
        f"{kind.name} ({kind.description}): {result.score} != {expected}; lost: {lost}"
    assert result.advice == {}
    assert result.sandboxed


def test_answers_replayed_from_an_earlier_grading_win_only_the_visible_points():
    """The attack the nonce stops: a table of the hidden cases one grading drew, handed in again.

    Graded with the nonce whose cases it holds, the replay gets every point (so a grader whose
    hidden seeds never change would be beaten); graded anew, only the public visible cases.
    """
    import nbformat as nbf

    from rnncourse.grading import simulate

    name, release, source = pairs("01_rnn_forward")[0]
    kind = next(k for k in simulate.KINDS if k.name == "replay_hidden")
    files = simulate.build(kind, release, source, f"{name}.ipynb", (SECRET, "01_rnn_forward", "alice", "earlier"))
    replay = nbf.reads(files[f"{name}.ipynb"], as_version=4)
    same = grade(replay, "01_rnn_forward", name, nonce="earlier", with_advice=False)
    anew = grade(replay, "01_rnn_forward", name, with_advice=False)
    assert same.score == same.max_score > 0, {g: v.message[:80] for g, v in same.verdicts.items() if not v.passed}
    visible = sum(v.points for g, v in anew.verdicts.items() if g.endswith("_visible"))
    assert anew.score == visible < anew.max_score


def test_what_a_function_prints_during_the_graders_calls_is_never_shown():
    """A first submission could print its hidden inputs into the feedback: calls' output goes nowhere."""
    name, release, source = pairs("01_rnn_forward")[0]
    nb = filled_release(release, source)
    for cell in nb.cells:
        if meta(cell).get("solution"):
            cell.source = "import builtins\n_print = builtins.print\n" + cell.source.replace(
                "    return ", "    _print('LEAKED', repr(locals())[:200])\n    return ", 1)
    result = grade(nb, "01_rnn_forward", name, with_advice=False)
    assert result.score == result.max_score
    shown = [v.message for v in result.verdicts.values()] + [o.stdout for o in result.cells.values()]
    assert not any("LEAKED" in text for text in shown)


# ------------------------------------------------------------------ what the report says happened

FAULTY_ANSWERS = {
    "softmax": "def softmax(o):\n    raise ValueError('no softmax today')\n",
    "rnn_step_forward": "def rnn_step_forward(x, h_prev, U, W, b):\n    import os\n    os._exit(3)\n",
    "rnn_forward": "def rnn_forward(X, h0, U, W, b):\n    while True:\n        pass\n",
    # Raises twice, then ends the process: the line must count both kinds and the skipped rest.
    "many_to_one_forward": "_seen = [0]\n\ndef many_to_one_forward(X, h0, U, W, b, V, c):\n"
                           "    _seen[0] += 1\n    if _seen[0] <= 2:\n        raise ValueError('not yet')\n"
                           "    import os\n    os._exit(4)\n",
}


def test_fault_lines_count_each_call_by_what_happened_and_number_cells_as_check_does(tmp_path, monkeypatch):
    """Issue 23: "8 calls of rnn_forward timed out" where one had timed out and seven were skipped.

    Each function with a fault gets one line whose counts add up to its calls; cells are
    counted from 1 (Markdown included) in the notes, in ``check``'s own lines and in tracebacks.
    """
    from rnncourse.grading.__main__ import check

    name, release, source = pairs("01_rnn_forward")[0]
    nb = filled_release(release, source)
    for cell in nb.cells:
        if meta(cell).get("solution") and meta(cell)["grade_id"] in FAULTY_ANSWERS:
            cell.source = FAULTY_ANSWERS[meta(cell)["grade_id"]]
    nb.cells.append(nbformat.v4.new_code_cell("import time\nwhile True:\n    time.sleep(0.01)"))
    nb.cells.append(nbformat.v4.new_code_cell("import os\nos._exit(5)"))
    looping, ending = len(nb.cells) - 1, len(nb.cells)  # counted from 1
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, str(path))
    monkeypatch.setattr(jail, "JailLimits", lambda: JailLimits(cell_timeout=1, call_timeout=1))
    out = __import__("io").StringIO()
    check(path, out=out)
    text = out.getvalue()
    notes = [line.removeprefix("note: ") for line in text.splitlines() if line.startswith("note: ")]
    calls = {f: sum(len(spec.plan(TASKS[f], c, 0)) for c in TASKS[f].check_names())
             for f in ("rnn_step_forward", "rnn_forward", "many_to_one_forward")}
    assert notes == [
        f"cell {looping} (added by the student) did not finish within its 1 s limit: stopped there, and the "
        "notebook graded without what it would have defined afterwards",
        f"cell {ending} (added by the student) ended the process (exit code 5): graded without it",
        f"task 3, rnn_step_forward: of {calls['rnn_step_forward']} calls, 1 ended the process (exit code 3), "
        f"{calls['rnn_step_forward'] - 1} skipped after that",
        f"task 4, rnn_forward: of {calls['rnn_forward']} calls, 1 timed out (stopped at the 1 s limit), "
        f"{calls['rnn_forward'] - 1} skipped after that",
        f"task 5, many_to_one_forward: of {calls['many_to_one_forward']} calls, 2 raised ValueError, "
        f"1 ended the process (exit code 4), {calls['many_to_one_forward'] - 3} skipped after that",
    ], "\n".join(notes)
    # softmax only raised: its verdict says so, and the report has no line for it.
    assert not any("softmax" in note for note in notes)
    # check's own list of cells uses the same numbers.
    assert f"Cell {looping}:\n" in text and f"Cell {ending}:\n" in text, text
    softmax_cell = next(i for i, c in enumerate(nb.cells) if meta(c).get("grade_id") == "softmax") + 1
    assert f"<cell {softmax_cell}>, line 2, in softmax" in text, text


def test_a_backward_pass_by_finite_differences_is_refused_in_the_jail_and_in_the_notebook():
    # numerical_gradient checks gradients; inside a graded call it raises, so pasting a visible
    # cell's finite-difference check into the answer earns nothing, in the jail as in grade(...).
    name, release, source = pairs("02_bptt")[0]
    nb = filled_release(release, source)
    by_differences = """
def sequence_cross_entropy_backward(O, Y):
    return numerical_gradient(lambda _: sequence_cross_entropy(O, Y), O)
"""
    cell = next(c for c in nb.cells if meta(c).get("grade_id") == "sequence_cross_entropy_backward")
    cell.source = "from rnncourse.grading import assert_close\n" + _CROSS_ENTROPY + by_differences
    result = grade(nb, "02_bptt", name)
    for check in ("visible", "hidden", "numeric"):
        verdict = result.verdicts[f"sequence_cross_entropy_backward_{check}"]
        assert not verdict.passed
        assert "numerical_gradient checks a gradient; it may not compute one inside a graded function" in \
            " ".join(verdict.message.split()), verdict.message
    namespace = {}
    exec("import numpy as np\nfrom rnncourse.gradcheck import numerical_gradient\n" + _CROSS_ENTROPY
         + by_differences, namespace)
    with pytest.raises(AssertionError, match="numerical_gradient checks a gradient"):
        from rnncourse.grading import grade as grade_here
        grade_here("sequence_cross_entropy_backward_visible", namespace["sequence_cross_entropy_backward"])
    # Outside a graded call it is the checking tool it always was.
    O, Y = np.random.default_rng(0).normal(size=(2, 3, 4)), np.array([[0, 1, 2], [3, 0, 1]])
    assert namespace["sequence_cross_entropy_backward"](O, Y).shape == O.shape


_CROSS_ENTROPY = """
def sequence_cross_entropy(O, Y):
    z = O - O.max(axis=-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    N, T = Y.shape
    return float(-logp[np.arange(N)[:, None], np.arange(T), Y].sum() / N)
"""


def test_a_backward_pass_written_as_finite_differences_earns_nothing():
    # A student's own centred differences (not the refused tool) match every small case, but each check
    # of a backward pass also holds a case of realistic size, on which they run out of time.
    name, release, source = pairs("05_gated")[0]
    nb = filled_release(release, source)
    by_hand = '''
def gru_step_backward(dh_next, x, h_prev, U, W, b):
    inputs = {"x": x, "h_prev": h_prev, "U": U, "W": W, "b": b}
    grads = []
    for key in ("x", "h_prev", "U", "W", "b"):
        value, grad = inputs[key], np.zeros_like(inputs[key])
        for i in np.ndindex(value.shape):
            keep = value[i]
            value[i] = keep + 1e-6
            plus = np.sum(gru_step_forward(**inputs) * dh_next)
            value[i] = keep - 1e-6
            minus = np.sum(gru_step_forward(**inputs) * dh_next)
            value[i] = keep
            grad[i] = (plus - minus) / 2e-6
        grads.append(grad)
    return tuple(grads)
'''
    cell = next(c for c in nb.cells if meta(c).get("grade_id") == "gru_step_backward")
    cell.source = by_hand
    result = grade(nb, "05_gated", name)
    messages = {check: " ".join(result.verdicts[f"gru_step_backward_{check}"].message.split())
                for check in ("visible", "hidden", "numeric")}
    assert not any(result.verdicts[f"gru_step_backward_{check}"].passed for check in messages), messages
    # The first case of realistic size runs out of time; the grader then calls the function no more.
    assert any("a realistic size (finite differences would take minutes)): did not return in time" in m
               for m in messages.values()), messages
    assert all("did not return in time" in m or "timed out" in m for m in messages.values()), messages
    assert result.verdicts["gru_step_forward_hidden"].passed
