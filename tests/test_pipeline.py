"""The instructor's loop, end to end, for every assignment.

In a scratch course folder: validate the source -> generate the release -> grade a
perfect submission (the published solution), a student-style one (every answer right, written
with helpers, prints, a plot, a magic and extra cells) and the untouched release with plain
``nbgrader autograde`` (what
formgrader's button runs) -> grade them again with the course's command
(``python -m rnncourse.grading.instructor autograde``, which ``make autograde`` runs)
-> feedback -> export. Both commands must store the same verified scores: full marks
and 0. The gradebook runs on SQLite for every assignment and on PostgreSQL for one
(the database layer does not depend on the assignment).
"""

from __future__ import annotations

import csv
import shutil
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from rnncourse.grading import simulate
from rnncourse.grading.notebooks import filled_release
from support import ASSIGNMENTS, make_course, nbgrader_meta, notebooks, read, run

pytestmark = pytest.mark.slow
STUDENTS = ("perfect", "student_style", "untouched")
PARAMS = [(a, "sqlite") for a in ASSIGNMENTS] + [(ASSIGNMENTS[-1], "postgresql")]


def _max_points(nb_path):
    return sum(float(nbgrader_meta(c).get("points", 0)) for c in read(nb_path).cells if nbgrader_meta(c).get("grade"))


def _scores(db_url, assignment):
    with Gradebook(db_url, course_id="rnncourse") as gb:
        return {s: (gb.find_submission(assignment, s).score, gb.find_submission(assignment, s).max_score)
                for s in STUDENTS}


@pytest.fixture(scope="module", params=PARAMS, ids=lambda p: f"{p[0]}-{p[1]}")
def graded_course(request, tmp_path_factory):
    """A course in which `perfect`, `student_style` and `untouched` submitted the assignment, graded both ways."""
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
    # Both students in one nbgrader call (each call costs seconds of start-up).
    (course / "students.csv").write_text("id,first_name,last_name,email\nperfect,,,\nstudent_style,,,\nuntouched,,,\n")
    run(["nbgrader", "db", "student", "import", course / "students.csv", db], cwd=course)
    for student in STUDENTS:
        (course / "submitted" / student / assignment).mkdir(parents=True)
    student_style = next(k for k in simulate.KINDS if k.name == "student_style")
    for nb in notebooks(assignment, course / "solutions"):
        filled = filled_release(read(release / nb.name), read(nb))
        nbformat.write(filled, str(course / "submitted" / "perfect" / assignment / nb.name))
        files = simulate.build(student_style, read(release / nb.name), read(nb), nb.name)
        (course / "submitted" / "student_style" / assignment / nb.name).write_text(files[nb.name])
        shutil.copy(release / nb.name, course / "submitted" / "untouched" / assignment / nb.name)
    max_score = sum(_max_points(nb) for nb in notebooks(assignment, course / "solutions"))
    run(["nbgrader", "autograde", assignment, "--force", db], cwd=course, timeout=900)
    by_nbgrader = _scores(db_url, assignment)
    cli = [sys.executable, "-m", "rnncourse.grading.instructor", "--root", course, "--db-url", db_url]
    out = run([*cli, "autograde", assignment], cwd=course, timeout=900)
    by_course = _scores(db_url, assignment)
    return assignment, course, db_url, cli, max_score, out.stdout, by_nbgrader, by_course


def test_plain_nbgrader_autograde_gives_verified_full_marks_and_zero(graded_course):
    assignment, _, _, _, max_score, _, by_nbgrader, _ = graded_course
    assert max_score > 0
    assert by_nbgrader["perfect"] == (max_score, max_score), f"{assignment}: {by_nbgrader}"
    assert by_nbgrader["student_style"] == (max_score, max_score), f"{assignment}: {by_nbgrader}"
    assert by_nbgrader["untouched"] == (0, max_score), f"{assignment}: {by_nbgrader}"


def test_the_course_command_stores_the_same_scores(graded_course):
    assignment, _, _, _, _, log, by_nbgrader, by_course = graded_course
    assert by_course == by_nbgrader, f"{assignment}: {by_course} != {by_nbgrader}"
    # The perfect answers are the published solution: the similarity report may list them, nothing else.
    findings = [ln for ln in log.split("findings")[-1].splitlines()[1:] if ln.strip()]
    assert all("matches the published solution" in ln for ln in findings), log


def test_feedback_is_generated_for_every_submission(graded_course):
    assignment, course, _, cli, _, _, _, _ = graded_course
    run([*cli, "feedback", assignment], cwd=course)
    for student in ("perfect", "untouched"):
        html = list((course / "feedback" / student / assignment).glob("*.html"))
        assert html, f"no feedback HTML for {student}"
        assert "Score" in html[0].read_text()


def test_grades_export_to_csv(graded_course):
    assignment, course, _, cli, max_score, _, _, _ = graded_course
    out = course / "grades.csv"
    run([*cli, "export", "--to", out], cwd=course)
    rows = {r["student_id"]: r for r in csv.DictReader(out.open()) if r["assignment"] == assignment}
    assert float(rows["perfect"]["score"]) == max_score
    assert float(rows["untouched"]["score"]) == 0
    assert float(rows["perfect"]["max_score"]) == max_score
    assert rows["perfect"]["status"] == rows["untouched"]["status"] == "submitted"


def test_nbgrader_validate_shows_the_whole_message_even_outside_the_course_folder(tmp_path):
    """A student may run `nbgrader validate` anywhere: nbgrader's default width must not cut the message."""
    from support import EXERCISES

    assignment = "01_rnn_forward"
    nb = read(EXERCISES / assignment / f"{assignment}.ipynb")
    for cell in nb.cells:
        if nbgrader_meta(cell).get("grade_id") == "softmax":  # normalised over the wrong axis
            cell.source = "def softmax(o):\n    e = np.exp(o - o.max())\n    return e / e.sum(axis=0, keepdims=True)"
    path = tmp_path / f"{assignment}.ipynb"
    nbformat.write(nb, str(path))
    out = run(["nbgrader", "validate", path], cwd=tmp_path, check=False).stdout  # no nbgrader_config.py here
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.strip().startswith("TestFailure: "))
    message = " ".join(ln.strip() for ln in lines[start:start + 4] if ln.strip()).split("TestFailure: ")[1]
    # The visible cell's first line runs the grader's public cases: its message is the grader's.
    assert message.startswith("softmax, case 2 of 5 (o of shape (1, 5)): 5 of 5 entries differ; the largest "
                              "error is 1 at index (0, 1)"), message
    assert not any(ln.endswith("...") for ln in lines[start:start + 4]), lines[start:start + 4]
