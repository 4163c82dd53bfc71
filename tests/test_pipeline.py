"""The instructor's loop, end to end, for every assignment, in a scratch course folder.

validate the source -> generate the release -> autograde a perfect submission
and the untouched release in one batch -> generate feedback -> export grades.
"""

from __future__ import annotations

import csv
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from support import ASSIGNMENTS, make_course, nbgrader_meta, notebooks, perfect_submission, read, run

pytestmark = pytest.mark.slow


def _max_points(nb_path):
    return sum(float(nbgrader_meta(c).get("points", 0)) for c in read(nb_path).cells if nbgrader_meta(c).get("grade"))


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded_course(request, tmp_path_factory):
    """A course in which `perfect` and `untouched` submitted the assignment and were autograded."""
    assignment = request.param
    course = make_course(tmp_path_factory.mktemp(f"pipeline-{assignment}"))
    for nb in notebooks(assignment, course / "solutions"):
        out = run(["nbgrader", "validate", nb], cwd=course)
        assert "Success" in out.stdout, f"{nb.name} fails its own tests:\n{out.stdout[-3000:]}"
    run(["nbgrader", "generate_assignment", assignment, "--force"], cwd=course)
    release = course / "exercises" / assignment
    for student in ("perfect", "untouched"):
        run(["nbgrader", "db", "student", "add", student], cwd=course)
        (course / "submitted" / student / assignment).mkdir(parents=True)
    for nb in notebooks(assignment, course / "solutions"):
        perfect = perfect_submission(release / nb.name, nb)
        nbformat.write(perfect, str(course / "submitted" / "perfect" / assignment / nb.name))
        shutil.copy(release / nb.name, course / "submitted" / "untouched" / assignment / nb.name)
    run(["nbgrader", "autograde", assignment, "--force"], cwd=course, timeout=900)
    max_score = sum(_max_points(nb) for nb in notebooks(assignment, course / "solutions"))
    return assignment, course, max_score


def _score(course, assignment, student):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="rnncourse") as gb:
        sub = gb.find_submission(assignment, student)
        return sub.score, sub.max_score


def test_perfect_submission_gets_full_marks(graded_course):
    assignment, course, max_score = graded_course
    score, max_in_db = _score(course, assignment, "perfect")
    assert max_in_db == max_score > 0
    assert score == max_score, f"{assignment}: the perfect submission scored {score} of {max_score}"


def test_untouched_release_scores_zero_in_the_same_batch(graded_course):
    assignment, course, _ = graded_course
    score, _ = _score(course, assignment, "untouched")
    assert score == 0, f"{assignment}: the untouched release scored {score}"


def test_feedback_is_generated_for_every_submission(graded_course):
    assignment, course, _ = graded_course
    run(["nbgrader", "generate_feedback", assignment, "--force"], cwd=course)
    for student in ("perfect", "untouched"):
        html = list((course / "feedback" / student / assignment).glob("*.html"))
        assert html, f"no feedback HTML for {student}"
        assert "Score" in html[0].read_text() or "score" in html[0].read_text()


def test_grades_export_to_csv(graded_course):
    assignment, course, max_score = graded_course
    out = course / "grades.csv"
    run(["nbgrader", "export", "--to", out], cwd=course)
    rows = {r["student_id"]: r for r in csv.DictReader(out.open()) if r["assignment"] == assignment}
    assert float(rows["perfect"]["score"]) == max_score
    assert float(rows["untouched"]["score"]) == 0
    assert float(rows["perfect"]["max_score"]) == max_score
