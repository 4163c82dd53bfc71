"""Grades instructors can trust: every simulated submission gets exactly what it deserves.

The simulated submissions of ``rnncourse.grading.simulate`` (correct, written the way
students write, partial, empty, a dozen cheats, a dozen faults, one from a student the
gradebook does not know) are graded once per grading mode, each mode on its own
assignment, since every assignment is graded by the same code path:

- ``make autograde``'s command (``rnncourse.grading.instructor.autograde``: preflight,
  nbgrader per student, report) on 02_bptt, with the whole set;
- plain ``nbgrader autograde`` (what formgrader's button runs) on 04_leaky_esn, with
  every kind that needs no preflight (the mended files are the preflight's job).

Correct work gets full marks whatever its notebook suffered and however it is written;
each cheat wins nothing beyond the public visible cases; each fault costs only the cell
or the task it hits and is reported; the batch always finishes. The grade never depends
on the static advice: the jail and the checks outside it decide.
"""

from __future__ import annotations

import csv
import html
import json
import re

import nbformat
import pytest
from nbgrader.api import Gradebook

from rnncourse.grading import instructor, simulate
from support import hidden_test_lines, make_course, normalise, notebooks, run

pytestmark = pytest.mark.slow
CELL_TIMEOUT, CALL_TIMEOUT = 5, 2  # seconds; a correct cell or call needs well under one
MODES = {"make-autograde": "02_bptt", "nbgrader-autograde": "04_leaky_esn"}
UNKNOWN = simulate.Kind("unknown_student", "a correct submission from an id not in the gradebook", "full", True, True)
CASES = [(mode, kind) for mode in MODES for kind in simulate.KINDS + [UNKNOWN]
         if mode == "make-autograde" or not kind.preflight]
# Clean work may be listed only as a copy of the published solution (which the simulated
# correct answers are; that line changes no score and is for a human to read), or as an
# nbgrader run that failed once on a busy machine and was repeated.
CLEAN = {"correct", "student-style", "warnings", "partial", "empty"}


def _student(kind):
    return simulate.UNKNOWN_STUDENT if kind.name == "unknown_student" else kind.name.replace("_", "-")


_GRADED = {}


@pytest.fixture(scope="module")
def graded(tmp_path_factory, jail_kind):
    def grade(mode):
        if mode in _GRADED:
            return _GRADED[mode]
        assignment = MODES[mode]
        course_dir = make_course(tmp_path_factory.mktemp(f"security-{mode}"))
        run(["nbgrader", "generate_assignment", assignment, "--force"], cwd=course_dir)
        kinds = simulate.KINDS if mode == "make-autograde" else [k for k in simulate.KINDS if not k.preflight]
        students = simulate.write_submissions(course_dir, assignment, course_dir / "exercises" / assignment,
                                              course_dir / "solutions" / assignment, kinds=kinds,
                                              unknown_student=mode == "make-autograde")
        course = instructor.Course.load(course_dir)
        with Gradebook(course.db_url, course.course_id) as gb:
            for student in students:
                if student != simulate.UNKNOWN_STUDENT:
                    gb.update_or_create_student(student)
        findings = None
        if mode == "make-autograde":
            _, findings = instructor.autograde(course, assignment, timeout=CELL_TIMEOUT, call_timeout=CALL_TIMEOUT,
                                               quiet=True)
        else:
            run(["nbgrader", "autograde", assignment, "--force", f"--VerifiedExecute.cell_timeout={CELL_TIMEOUT}",
                 f"--VerifiedExecute.call_timeout={CALL_TIMEOUT}"], cwd=course_dir, timeout=1200)
        _GRADED[mode] = (assignment, course, students, findings)
        return _GRADED[mode]

    return grade


def _expected(course, assignment, kind):
    return sum(simulate.expected_points(kind, nbformat.read(str(nb), as_version=4))
               for nb in notebooks(assignment, course.root / "solutions"))


@pytest.mark.parametrize("mode, kind", CASES, ids=[f"{m}-{k.name}" for m, k in CASES])
def test_each_simulated_submission_gets_the_score_it_deserves(graded, mode, kind):
    assignment, course, students, _ = graded(mode)
    student = _student(kind)
    with Gradebook(course.db_url, course.course_id) as gb:
        score = gb.find_submission(assignment, student).score
    assert score == _expected(course, assignment, kind), f"{kind.name} ({kind.description}): {score}"


def test_every_fault_and_cheat_that_needs_attention_is_in_the_report(graded):
    assignment, _, students, findings = graded("make-autograde")
    reported = {f.student for f in findings}
    for student, kind in students.items():
        if kind.reported:
            assert student in reported, f"nothing in the report about {student} ({kind.description})"
    for f in findings:
        assert f.student and f.assignment == assignment and f.what and f.action
        if f.student in CLEAN:  # a copy of the published solution, or a run that had to be repeated
            assert "matches the published solution" in f.what or "graded again alone" in f.action, \
                f"clean work reported: {f.line()}"


def test_the_graders_own_reports_record_the_faults_under_plain_nbgrader(graded):
    assignment, course, students, _ = graded("nbgrader-autograde")
    for student, kind in students.items():
        data = json.loads(next((course.root / "reports" / assignment / student).glob("*.json")).read_text())
        assert data["sandboxed"] is True and data["backend"] == "bwrap"
        if kind.name in ("endless_loop", "ignore_alarm", "memory_hog", "kernel_exit", "segfault"):
            assert data["notes"], f"the report of {student} ({kind.description}) has no note"
        if kind.name in ("correct", "partial", "empty"):
            assert not data["notes"], (student, data["notes"])
        if kind.name in ("endless_loop", "ignore_alarm", "feed_watchdog"):
            # One call of the last task hangs; its other calls are skipped, not counted as timeouts.
            counted = [re.fullmatch(r"task \d+, \w+: of (\d+) calls, 1 (?:timed out|hung|sent)[^,]*, (\d+) "
                                    r"skipped after that", note) for note in data["notes"]]
            assert len(data["notes"]) == 1 and counted[0], (student, data["notes"])
            assert int(counted[0].group(1)) == 1 + int(counted[0].group(2)), data["notes"]


def test_submitted_files_are_left_exactly_as_handed_in(graded):
    assignment, course, students, _ = graded("make-autograde")
    bad = course.root / "submitted" / "invalid-json" / assignment
    assert any(p.suffix == ".ipynb" for p in bad.iterdir()), "the unreadable notebook was removed"
    renamed = course.root / "submitted" / "renamed-notebook" / assignment
    assert [p.name for p in renamed.glob("*.ipynb")] == [f"{assignment} (1).ipynb"], "the original was renamed"


@pytest.mark.parametrize("mode", list(MODES))
def test_feedback_has_no_hidden_test_text_and_says_what_is_wrong(graded, mode):
    assignment, course, _, _ = graded(mode)
    code, log = course.nbgrader("generate_feedback", assignment, "--force")
    pages = list((course.root / "feedback").glob(f"*/{assignment}/*.html"))
    assert pages, f"no feedback generated:\n{log[-2000:]}"
    secrets = hidden_test_lines()
    assert secrets
    for page in pages:
        text = normalise(html.unescape(re.sub(r"<[^>]+>", "", page.read_text())))
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{page}: hidden test text {leaked[:3]}"
        assert "BEGIN HIDDEN TESTS" not in text and "UNSANDBOXED" not in text
    page = next((course.root / "feedback" / "partial" / assignment).glob("*.html"))
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
    assert "not implemented yet" in text, "the feedback does not say which task is unfinished"
    assert "check passed" in text, "the feedback does not say which checks passed"


def test_export_tells_not_submitted_from_zero_and_how_grades_were_made(graded):
    assignment, course, students, _ = graded("nbgrader-autograde")
    with Gradebook(course.db_url, course.course_id) as gb:
        gb.update_or_create_student("absent")
    run(["nbgrader", "export", "--to", "grades.csv"], cwd=course.root)
    rows = {r["student_id"]: r for r in csv.DictReader((course.root / "grades.csv").open())}
    assert rows["absent"]["status"] == "not submitted" and rows["absent"]["score"] == ""
    assert rows["absent"]["grading"] == "not autograded"
    assert rows["empty"]["status"] == "submitted" and float(rows["empty"]["score"]) == 0
    assert rows["correct"]["grading"] == "jail (bwrap)"
    assert set(rows["correct"]) >= {"timestamp", "late_submission_penalty", "raw_score", "max_score"}
