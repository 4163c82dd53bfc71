"""Grades instructors can trust: every simulated submission gets exactly what it deserves.

For every assignment, the simulated submissions of ``rnncourse.simulate`` (correct,
partial, empty, cheating in a dozen ways, broken in a dozen more, one from a
student the gradebook does not know) are graded in one batch with
``rnncourse.instructor.autograde``. Correct work gets full marks, whatever its
notebook suffered; each cheat gets 0 on the tasks it attacks; each fault is
reported and costs nothing else; the batch always finishes. Feedback is then
generated for all of them and must not contain a line of the hidden tests.
"""

from __future__ import annotations

import html
import re

import nbformat
import pytest
from nbgrader.api import Gradebook

from rnncourse import instructor, simulate
from support import ASSIGNMENTS, hidden_test_lines, make_course, normalise, notebooks, run

pytestmark = pytest.mark.slow
CELL_TIMEOUT = 6  # seconds; a correct cell needs well under one


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    assignment = request.param
    course_dir = make_course(tmp_path_factory.mktemp(f"security-{assignment}"))
    run(["nbgrader", "generate_assignment", assignment, "--force"], cwd=course_dir)
    students = simulate.write_submissions(course_dir, assignment, course_dir / "exercises" / assignment,
                                          course_dir / "solutions" / assignment)
    course = instructor.Course.load(course_dir)
    with Gradebook(course.db_url, course.course_id) as gb:
        for student in students:
            if student != simulate.UNKNOWN_STUDENT:
                gb.update_or_create_student(student)
    scores, findings = instructor.autograde(course, assignment, timeout=CELL_TIMEOUT, quiet=True)
    return assignment, course, students, scores, findings


def _expected(course, assignment, kind):
    total = 0.0
    for nb in notebooks(assignment, course.root / "solutions"):
        total += simulate.expected_points(kind, nbformat.read(str(nb), as_version=4))
    return total


def _gradebook_score(course, assignment, student):
    with Gradebook(course.db_url, course.course_id) as gb:
        return gb.find_submission(assignment, student).score


@pytest.mark.parametrize("kind", simulate.KINDS + [simulate.Kind("unknown_student", "", "full", True)],
                         ids=lambda k: k.name)
def test_each_simulated_submission_gets_the_score_it_deserves(graded, kind):
    assignment, course, students, scores, _ = graded
    student = simulate.UNKNOWN_STUDENT if kind.name == "unknown_student" else kind.name.replace("_", "-")
    expected = _expected(course, assignment, kind)
    assert student in scores, f"{student} was not graded: the batch stopped early?"
    assert scores[student] == expected, f"{kind.name} ({kind.description}): {scores[student]} != {expected}"
    assert _gradebook_score(course, assignment, student) == expected, "the gradebook disagrees with the run"


def test_every_fault_and_cheat_that_needs_attention_is_reported(graded):
    assignment, _, students, _, findings = graded
    reported = {f.student for f in findings}
    for student, kind in students.items():
        if kind.reported:
            assert student in reported, f"nothing in the report about {student} ({kind.description})"
    clean = {"correct", "partial", "empty"}
    assert not clean & reported, f"clean submissions reported: {[f.line() for f in findings if f.student in clean]}"
    for f in findings:
        assert f.student and f.assignment == assignment and f.what and f.action


def test_submitted_files_are_left_exactly_as_handed_in(graded):
    assignment, course, students, _, _ = graded
    for student in students:
        for path in (course.root / "submitted" / student / assignment).iterdir():
            assert "staged" not in str(path)
    bad = course.root / "submitted" / "invalid-json" / assignment
    assert any(p.suffix == ".ipynb" for p in bad.iterdir()), "the unreadable notebook was removed"


def test_feedback_for_the_batch_has_no_hidden_test_text(graded):
    assignment, course, _, _, _ = graded
    code, log = course.nbgrader("generate_feedback", assignment, "--force")
    pages = list((course.root / "feedback").glob(f"*/{assignment}/*.html"))
    assert pages, f"no feedback generated:\n{log[-2000:]}"
    secrets = hidden_test_lines()
    assert secrets
    for page in pages:
        text = normalise(html.unescape(re.sub(r"<[^>]+>", "", page.read_text())))
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{page}: hidden test text {leaked[:3]}"
        assert "BEGIN HIDDEN TESTS" not in text


def test_feedback_tells_a_failing_student_what_is_wrong(graded):
    assignment, course, _, _, _ = graded
    course.nbgrader("generate_feedback", assignment, "--force", "--student", "partial")
    page = next((course.root / "feedback" / "partial" / assignment).glob("*.html"))
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
    assert "not implemented yet" in text, "the feedback does not say which task is unfinished"
