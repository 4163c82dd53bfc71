"""The instructor's loop, end to end, for every assignment, on SQLite and on PostgreSQL.

In a scratch course folder: validate the source -> generate the release ->
autograde a perfect submission and the untouched release in one batch with the
course's own command (`python -m rnncourse.instructor autograde`, which `make
autograde` runs) -> generate feedback -> export grades.
"""

from __future__ import annotations

import csv
import shutil
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from support import ASSIGNMENTS, make_course, nbgrader_meta, notebooks, perfect_submission, read, run

pytestmark = pytest.mark.slow
DATABASES = ["sqlite", "postgresql"]


def _max_points(nb_path):
    return sum(float(nbgrader_meta(c).get("points", 0)) for c in read(nb_path).cells if nbgrader_meta(c).get("grade"))


@pytest.fixture(scope="module", params=[(a, db) for db in DATABASES for a in ASSIGNMENTS],
                ids=lambda p: f"{p[0]}-{p[1]}")
def graded_course(request, tmp_path_factory):
    """A course in which `perfect` and `untouched` submitted the assignment and were autograded."""
    assignment, database = request.param
    course = make_course(tmp_path_factory.mktemp(f"pipeline-{assignment}-{database}"))
    db_url = (request.getfixturevalue("postgres_url") if database == "postgresql"
              else f"sqlite:///{course / 'gradebook.db'}")
    db = f"--CourseDirectory.db_url={db_url}"
    for nb in notebooks(assignment, course / "solutions"):
        out = run(["nbgrader", "validate", nb], cwd=course)
        assert "Success" in out.stdout, f"{nb.name} fails its own tests:\n{out.stdout[-3000:]}"
    run(["nbgrader", "generate_assignment", assignment, "--force", db], cwd=course)
    release = course / "exercises" / assignment
    for student in ("perfect", "untouched"):
        run(["nbgrader", "db", "student", "add", student, db], cwd=course)
        (course / "submitted" / student / assignment).mkdir(parents=True)
    for nb in notebooks(assignment, course / "solutions"):
        nbformat.write(perfect_submission(release / nb.name, nb), str(course / "submitted" / "perfect" / assignment / nb.name))
        shutil.copy(release / nb.name, course / "submitted" / "untouched" / assignment / nb.name)
    cli = [sys.executable, "-m", "rnncourse.instructor", "--root", course, "--db-url", db_url]
    out = run([*cli, "autograde", assignment], cwd=course, timeout=900)
    max_score = sum(_max_points(nb) for nb in notebooks(assignment, course / "solutions"))
    return assignment, course, db_url, cli, max_score, out.stdout


def _score(db_url, assignment, student):
    with Gradebook(db_url, course_id="rnncourse") as gb:
        sub = gb.find_submission(assignment, student)
        return sub.score, sub.max_score


def test_perfect_submission_gets_full_marks(graded_course):
    assignment, _, db_url, _, max_score, _ = graded_course
    score, max_in_db = _score(db_url, assignment, "perfect")
    assert max_in_db == max_score > 0
    assert score == max_score, f"{assignment}: the perfect submission scored {score} of {max_score}"


def test_untouched_release_scores_zero_in_the_same_batch(graded_course):
    assignment, _, db_url, _, _, log = graded_course
    score, _ = _score(db_url, assignment, "untouched")
    assert score == 0, f"{assignment}: the untouched release scored {score}"
    assert "0 findings" in log, f"a clean batch produced findings:\n{log}"


def test_feedback_is_generated_for_every_submission(graded_course):
    assignment, course, _, cli, _, _ = graded_course
    run([*cli, "feedback", assignment], cwd=course)
    for student in ("perfect", "untouched"):
        html = list((course / "feedback" / student / assignment).glob("*.html"))
        assert html, f"no feedback HTML for {student}"
        assert "Score" in html[0].read_text()


def test_grades_export_to_csv(graded_course):
    assignment, course, _, cli, max_score, _ = graded_course
    out = course / "grades.csv"
    run([*cli, "export", "--to", out], cwd=course)
    rows = {r["student_id"]: r for r in csv.DictReader(out.open()) if r["assignment"] == assignment}
    assert float(rows["perfect"]["score"]) == max_score
    assert float(rows["untouched"]["score"]) == 0
    assert float(rows["perfect"]["max_score"]) == max_score
