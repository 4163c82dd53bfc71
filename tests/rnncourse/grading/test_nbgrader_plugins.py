"""rnncourse.grading.nbgrader_plugins.fill_outputs: the grader's verdicts become the outputs nbgrader scores.

nbgrader scores a test cell from its outputs alone (``nbgrader.utils.determine_grade``):
an error, or anything on stderr, is 0 points; otherwise full points. So a passed
verdict must be a stdout stream, a failed one an error, and the UNSANDBOXED note
must never go to stderr. The results here are made by hand (no jail runs).
CourseCsvExport is tested here on a stand-in for the gradebook, and with nbgrader's elsewhere.
"""

from __future__ import annotations

import nbformat
import pytest
from nbgrader.utils import determine_grade

from rnncourse.grading.jail import Outcome
from rnncourse.grading.nbgrader_plugins import fill_outputs, unsandboxed_note
from rnncourse.grading.verify import NotebookResult, Verdict


def _nbgrader(**fields):
    return {"nbgrader": {"schema_version": 3, "locked": False, "solution": False, "grade": False, **fields}}


def notebook():
    """Markdown, setup, an answer, two test cells, a cell the student added."""
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Task"),
        nbformat.v4.new_code_cell("import numpy as np\nprint('setup done')",
                                  metadata=_nbgrader(grade_id="setup", locked=True)),
        nbformat.v4.new_code_cell("import scipy\ndef f(x):\n    return y",
                                  metadata=_nbgrader(grade_id="f", solution=True)),
        nbformat.v4.new_code_cell("assert_close('f', f(1), 1)",
                                  metadata=_nbgrader(grade_id="f_visible", grade=True, points=2)),
        nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\ngrade('f_hidden', f)\n### END HIDDEN TESTS",
                                  metadata=_nbgrader(grade_id="f_hidden", grade=True, points=3)),
        nbformat.v4.new_code_cell("while True:\n    pass"),
    ])


SETUP, ANSWER, VISIBLE, HIDDEN, ADDED = 1, 2, 3, 4, 5


def result(visible_passed=True, hidden_passed=False, sandboxed=True):
    verdicts = {
        "f_visible": Verdict("f_visible", 2.0, visible_passed,
                             "f: visible check passed (3 cases, verified by the grader)" if visible_passed
                             else "f, case 1 of 3 (x=1): got 2, expected 1.", "f", "visible"),
        "f_hidden": Verdict("f_hidden", 3.0, hidden_passed,
                            "f: hidden check passed (4 cases, verified by the grader)" if hidden_passed
                            else "f, case 2 of 4 (x=5): raised NameError: name 'y' is not defined",
                            "f", "hidden"),
    }
    cells = {
        SETUP: Outcome("ok", stdout="setup done\n"),
        ANSWER: Outcome("error", {"ename": "NameError", "evalue": "name 'y' is not defined",
                                  "traceback": ["  <cell 2>, line 3, in f"]}),
        ADDED: Outcome("timeout"),
    }
    advice = {ANSWER: ["line 1: imports scipy; the grader has only numpy and Python's standard library"]}
    return NotebookResult(verdicts, cells, [], "bwrap" if sandboxed else "none", sandboxed, advice)


REASON = "bubblewrap is not installed (Debian: apt-get install bubblewrap)"


def filled(**kwargs):
    nb = notebook()
    fill_outputs(nb, result(**kwargs), None if kwargs.get("sandboxed", True) else REASON)
    nbformat.validate(nb)  # the outputs are valid nbformat
    return nb


def points(nb, index):
    return determine_grade(nb.cells[index])


def test_passed_verdict_is_a_stdout_stream_and_scores_full_points():
    nb = filled(visible_passed=True)
    outputs = nb.cells[VISIBLE].outputs
    assert [(o.output_type, o.get("name")) for o in outputs] == [("stream", "stdout")]
    assert outputs[0].text == "f: visible check passed (3 cases, verified by the grader)\n"
    assert points(nb, VISIBLE) == (2.0, 2.0)


def test_failed_verdict_is_an_error_and_scores_zero():
    nb = filled(hidden_passed=False)
    outputs = nb.cells[HIDDEN].outputs
    assert [o.output_type for o in outputs] == ["error"]
    assert outputs[0].ename == "TestFailure"
    assert outputs[0].evalue == "f, case 2 of 4 (x=5): raised NameError: name 'y' is not defined"
    assert outputs[0].traceback[-1] == f"TestFailure: {outputs[0].evalue}"
    assert points(nb, HIDDEN) == (0, 3.0)


@pytest.mark.parametrize("visible_passed, hidden_passed", [(True, False), (False, True), (True, True),
                                                           (False, False)])
def test_unsandboxed_grading_notes_it_on_stdout_and_still_scores_by_the_verdict(visible_passed,
                                                                                  hidden_passed):
    nb = filled(visible_passed=visible_passed, hidden_passed=hidden_passed, sandboxed=False)
    for index, passed, maximum in [(VISIBLE, visible_passed, 2.0), (HIDDEN, hidden_passed, 3.0)]:
        first = nb.cells[index].outputs[0]
        assert (first.output_type, first.name, first.text) == ("stream", "stdout", unsandboxed_note(REASON) + "\n")
        assert "UNSANDBOXED" in first.text and REASON in first.text and "chose" in first.text
        assert points(nb, index) == ((maximum if passed else 0), maximum)
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert not (o.output_type == "stream" and o.name == "stderr"), o


def test_sandboxed_grading_has_no_unsandboxed_note():
    nb = filled(sandboxed=True)
    texts = [o.get("text", "") for c in nb.cells for o in c.get("outputs", [])]
    assert not any("UNSANDBOXED" in t for t in texts)


def test_non_test_cells_get_what_they_printed_and_raised_in_the_jail():
    nb = filled()
    setup = nb.cells[SETUP].outputs
    assert [(o.output_type, o.name, o.text) for o in setup] == [("stream", "stdout", "setup done\n")]
    note, error = nb.cells[ANSWER].outputs
    assert (note.output_type, note.name) == ("stream", "stdout")
    assert note.text.startswith("Note from the grader: line 1: imports scipy")
    assert (error.output_type, error.ename, error.evalue) == ("error", "NameError", "name 'y' is not defined")
    assert error.traceback == ["  <cell 2>, line 3, in f", "NameError: name 'y' is not defined"]
    (timeout,) = nb.cells[ADDED].outputs
    assert (timeout.output_type, timeout.ename) == ("error", "Timeout")


def test_code_cells_are_numbered_and_markdown_is_left_alone():
    nb = filled()
    assert [c.get("execution_count") for c in nb.cells] == [None, 1, 2, 3, 4, 5]
    assert "outputs" not in nb.cells[0]


def test_previous_outputs_of_test_cells_are_replaced():
    """What a student's own run left in a test cell (say a forged "passed") must not survive."""
    nb = notebook()
    nb.cells[HIDDEN].outputs = [nbformat.v4.new_output("stream", name="stdout", text="f_hidden: passed\n")]
    fill_outputs(nb, result(hidden_passed=False))
    assert [o.output_type for o in nb.cells[HIDDEN].outputs] == ["error"]
    assert points(nb, HIDDEN) == (0, 3.0)


# ------------------------------------------------------------------ the export's grading column


class _Gradebook:
    """What CourseCsvExport reads of nbgrader's Gradebook: one assignment, students, their submissions."""

    def __init__(self, submitted):
        from types import SimpleNamespace as NS

        self.assignments = [NS(name="01_rnn_forward", duedate=None, max_score=20.0)]
        self.students = [NS(id=s, first_name="", last_name="", email="") for s in ("absent", *submitted)]
        self._subs = {s: NS(score=score, late_submission_penalty=0.0, timestamp=None)
                      for s, score in submitted.items()}

    def find_submission(self, assignment, student):
        from nbgrader.api import MissingEntry

        if student not in self._subs:
            raise MissingEntry()
        return self._subs[student]


def test_export_says_how_each_grade_was_made_and_not_autograded_for_no_submission(tmp_path, monkeypatch):
    import csv
    import json

    from rnncourse.grading.nbgrader_plugins import CourseCsvExport, report_path

    reason = "RNNCOURSE_JAIL=none asks for no jail, though bubblewrap works here"
    for student, sandboxed in (("jailed", True), ("unjailed", False)):
        path = report_path(tmp_path, "01_rnn_forward", student, "01_rnn_forward")
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps({"backend": "bwrap" if sandboxed else "none", "sandboxed": sandboxed,
                                    "unsandboxed_reason": None if sandboxed else reason}))
    monkeypatch.chdir(tmp_path)  # the export reads reports/ where it runs, as nbgrader export does
    CourseCsvExport(to="grades.csv").export(_Gradebook({"jailed": 20.0, "unjailed": 20.0, "by_hand": 5.0}))
    rows = {r["student_id"]: r for r in csv.DictReader((tmp_path / "grades.csv").open())}
    assert {s: (r["status"], r["grading"]) for s, r in rows.items()} == {
        "absent": ("not submitted", "not autograded"),
        "jailed": ("submitted", "jail (bwrap)"),
        "unjailed": ("submitted", f"UNSANDBOXED ({reason})"),
        "by_hand": ("submitted", "not autograded"),
    }
    assert rows["absent"]["score"] == "" and rows["by_hand"]["score"] == "5.0"


def test_unsandboxed_note_gives_the_instructors_choice_as_the_reason(monkeypatch):
    from rnncourse.grading import jail

    monkeypatch.setenv("RNNCOURSE_JAIL", "none")
    monkeypatch.setattr(jail, "jail_problem", lambda: None)
    assert "(RNNCOURSE_JAIL=none asks for no jail, though bubblewrap works here)" in unsandboxed_note()
    monkeypatch.setattr(jail, "jail_problem", lambda: "bubblewrap is not installed")
    assert "(RNNCOURSE_JAIL=none asks for no jail, and bubblewrap is not installed)" in unsandboxed_note()
