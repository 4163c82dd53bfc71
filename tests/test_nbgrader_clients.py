"""nbgrader's clients in the course: the exchange, LMS collection with late penalties, feedback, validate.

One scratch course, one assignment and a temporary exchange (``c.Exchange.root`` and
``c.Exchange.cache`` in the course's ``nbgrader_config.py``, as *For instructors* says) hold
four students who submit every way a submission arrives:

- the OS user submits through the exchange (release_assignment, fetch_assignment, submit,
  collect), and later fetches the feedback (release_feedback, fetch_feedback);
- alice (on time) and bob (a day late) come from an LMS download, with their submission
  times in ``downloaded/NAME/timestamps.csv`` (``make collect``, that is ``zip_collect``);
- carol's notebook was copied into ``submitted/`` by hand, with no time at all.

The assignment has a due date and the course gives late submissions 0
(``c.LateSubmissionPlugin.penalty_method = "zero"``). Everyone's answers are correct.
"""

from __future__ import annotations

import csv
import datetime
import getpass
import shutil
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from rnncourse.grading.clients import read_timestamps
from rnncourse.grading.notebooks import filled_release, meta
from support import ASSIGNMENTS, EXERCISES, ROOT, SOLUTIONS, make_course, read, run

A = ASSIGNMENTS[0]
OS_USER = getpass.getuser()
DUE = datetime.datetime(2030, 3, 1, 16, 0)  # UTC; "2030-03-01 17:00:00 Europe/Berlin"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("clients")
    course = make_course(tmp)
    exchange, student = tmp / "exchange", tmp / "student-home"
    exchange.mkdir(mode=0o777)
    student.mkdir()
    with open(course / "nbgrader_config.py", "a") as f:
        f.write(f'\nc.Exchange.root = "{exchange}"\nc.Exchange.cache = "{tmp / "instructor-cache"}"\n'
                'c.LateSubmissionPlugin.penalty_method = "zero"\n')
    # The student's own nbgrader_config.py: the same exchange, a cache of their own.
    (student / "nbgrader_config.py").write_text(
        f'c = get_config()\nc.CourseDirectory.course_id = "rnncourse"\nc.Exchange.root = "{exchange}"\n'
        f'c.Exchange.cache = "{tmp / "student-cache"}"\n')
    logs = {}
    run(["nbgrader", "generate_assignment", A, "--force", "--log-level=WARN"], cwd=course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "rnncourse") as gb:
        gb.update_or_create_assignment(A, duedate=DUE)
    source, release = read(course / "solutions" / A / f"{A}.ipynb"), course / "exercises" / A / f"{A}.ipynb"
    correct = filled_release(read(release), source)

    run(["nbgrader", "release_assignment", A, "--log-level=WARN"], cwd=course)
    run(["nbgrader", "fetch_assignment", A, "--log-level=WARN"], cwd=student)
    nbformat.write(correct, str(student / A / f"{A}.ipynb"))
    run(["nbgrader", "submit", A, "--log-level=WARN"], cwd=student)
    run(["nbgrader", "collect", A, "--log-level=WARN"], cwd=course)

    archive = course / "downloaded" / A / "archive"
    archive.mkdir(parents=True)
    for who in ("alice", "bob"):
        nbformat.write(correct, str(archive / f"{who}_{A}.ipynb"))
    (archive.parent / "timestamps.csv").write_text(
        "student_id,timestamp\nalice,2030-03-01 16:30:00 Europe/Berlin\nbob,2030-03-02 18:00:00+01:00\n")
    cli = [sys.executable, "-m", "rnncourse.grading.instructor", "--root", course]
    logs["collect"] = run([*cli, "collect", A], cwd=course).stdout
    (course / "submitted" / "carol" / A).mkdir(parents=True)
    nbformat.write(correct, str(course / "submitted" / "carol" / A / f"{A}.ipynb"))

    logs["autograde"] = run([*cli, "autograde", A], cwd=course, timeout=600).stdout
    run(["nbgrader", "generate_feedback", A, "--log-level=WARN"], cwd=course)
    # An exchange submission whose timestamp.txt went missing on the way (copied by hand, say).
    (course / "feedback" / OS_USER / A / "timestamp.txt").unlink()
    released = run(["nbgrader", "release_feedback", A], cwd=course, check=False)
    logs["release_feedback"] = (released.returncode, released.stdout + released.stderr)
    fetched = run(["nbgrader", "fetch_feedback", A], cwd=student, check=False)
    logs["fetch_feedback"] = (fetched.returncode, fetched.stdout + fetched.stderr)
    run(["nbgrader", "export", "--to", course / "grades.csv", "--log-level=WARN"], cwd=course)
    return course, student, exchange, logs


@pytest.mark.slow
def test_every_exchange_step_runs_and_the_student_fetches_graded_feedback(course):
    course_dir, student, _, logs = course
    collected = course_dir / "submitted" / OS_USER / A
    assert (collected / "submission_secret.txt").is_file(), "collect found nothing"
    code, log = logs["fetch_feedback"]
    assert code == 0, log
    pages = list((student / A / "feedback").glob(f"*/{A}.html"))
    assert len(pages) == 1, (sorted(p.name for p in (student / A).rglob("*")), log)
    assert "verified by the grader" in pages[0].read_text()


@pytest.mark.slow
def test_release_feedback_releases_exchange_submissions_and_names_the_others(course):
    course_dir, _, exchange, logs = course
    code, log = logs["release_feedback"]
    assert code == 0, log
    assert "FileNotFoundError" not in log and "Traceback" not in log, log
    assert len(list((exchange / "rnncourse" / "feedback").glob("*.html"))) == 1, log
    for who in ("alice", "bob", "carol"):
        assert f"Feedback for {who} not released through the exchange" in log, log
        assert f"feedback/{who}/{A}" in log.replace(str(course_dir) + "/", ""), log
    stamp = (course_dir / "feedback" / OS_USER / A / "timestamp.txt").read_text()
    assert stamp == (course_dir / "submitted" / OS_USER / A / "timestamp.txt").read_text().strip(), stamp


@pytest.mark.slow
def test_formgraders_release_feedback_button_works_with_every_kind_of_submission(course):
    """The button calls NbGraderAPI.release_feedback, with the course's configuration."""
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    course_dir = course[0]
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    cfg.CourseDirectory.root = str(course_dir)
    cfg.CourseDirectory.db_url = f"sqlite:///{course_dir / 'gradebook.db'}"
    api = NbGraderAPI(CourseDirectory(config=cfg), config=cfg)
    result = api.release_feedback(A)
    assert result["success"], result.get("error") or result.get("log")
    assert "Feedback for carol not released through the exchange" in result["log"], result["log"]


def _export(course_dir):
    rows = csv.DictReader((course_dir / "grades.csv").open())
    return {r["student_id"]: r for r in rows if r["assignment"] == A}


@pytest.mark.slow
def test_late_penalties_apply_to_lms_submissions_with_a_time(course):
    course_dir, _, _, logs = course
    rows = _export(course_dir)
    full = float(rows["alice"]["max_score"])
    assert (rows["alice"]["timestamp"], float(rows["alice"]["late_submission_penalty"]),
            float(rows["alice"]["score"])) == ("2030-03-01 15:30:00", 0.0, full), rows["alice"]
    bob = rows["bob"]
    assert (bob["timestamp"], float(bob["raw_score"]), float(bob["late_submission_penalty"]),
            float(bob["score"])) == ("2030-03-02 17:00:00", full, full, 0.0), bob
    assert float(rows[OS_USER]["score"]) == full and rows[OS_USER]["timestamp"], rows[OS_USER]
    assert "1 d 1 h 0 min after the due date" in logs["autograde"], logs["autograde"]


@pytest.mark.slow
def test_a_submission_without_a_time_is_named_wherever_its_penalty_could_not_apply(course):
    course_dir, _, _, logs = course
    rows = _export(course_dir)
    carol = rows["carol"]
    assert carol["timestamp"] == "" and float(carol["late_submission_penalty"]) == 0, carol
    report = (course_dir / "reports" / f"{A}-autograde.csv").read_text()
    assert any(ln.startswith("carol,") and "no submission time" in ln for ln in report.splitlines()), report
    on_time_or_timed = [ln for ln in report.splitlines() if ln.startswith(("alice,", "bob,"))]
    assert not any("submission time" in ln for ln in on_time_or_timed), report
    assert "no submission time" not in logs["collect"], logs["collect"]


def test_a_timestamps_file_that_cannot_be_read_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "timestamps.csv"
    path.write_text("student_id,timestamp\nalice,2030-03-01 16:30\nbob,next tuesday-ish\n")
    with pytest.raises(ValueError, match=r"line 3: timestamp 'next tuesday-ish' of student 'bob'"):
        read_timestamps(path)
    path.write_text("student,time\nalice,2030-03-01\n")
    with pytest.raises(ValueError, match="needs the columns student_id and timestamp; missing: student_id"):
        read_timestamps(path)


@pytest.mark.slow
def test_validate_in_the_course_folder_gives_the_graders_verdict(tmp_path):
    """Answers that import the reference pass in the student's kernel and get 0 when graded."""
    course_dir = tmp_path
    shutil.copy(ROOT / "nbgrader_config.py", course_dir)
    release, source = read(EXERCISES / A / f"{A}.ipynb"), read(SOLUTIONS / A / f"{A}.ipynb")
    nbformat.write(filled_release(release, source), str(course_dir / "correct.ipynb"))
    cheat = filled_release(release, source)
    for cell in cheat.cells:
        if meta(cell).get("solution"):
            names = [ln[4:ln.index("(")] for ln in cell.source.splitlines() if ln.startswith("def ")]
            cell.source = f"from rnncourse import {', '.join(names)}"
    nbformat.write(cheat, str(course_dir / "cheat.ipynb"))
    # Not one of the course's notebooks: validated in a kernel, as nbgrader does.
    test = {"grade": True, "solution": False, "locked": True, "grade_id": "t", "points": 1,
            "schema_version": 3}
    other = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("assert x == 2, 'the kernel ran this'", metadata={"nbgrader": test})])
    nbformat.write(other, str(course_dir / "other.ipynb"))
    # One nbgrader process for all (its start-up costs seconds); its log says which notebook is which.
    every = "nbgrader validate cheat.ipynb correct.ipynb other.ipynb 2>&1"
    out = run(["sh", "-c", every], cwd=course_dir, check=False).stdout
    cheat_part, rest = out.split("correct.ipynb'")[0], out.split("correct.ipynb'")[-1]
    correct_part, other_part = rest.split("other.ipynb'")
    assert "Success" not in cheat_part and "VALIDATION FAILED" in cheat_part, cheat_part[-3000:]
    assert "TestFailure: softmax is not defined when the notebook has run" in cheat_part, cheat_part
    assert "Success! Your notebook passes all the tests." in correct_part, correct_part
    assert "AssertionError: the kernel ran this" in other_part, other_part


def test_the_course_config_gives_nbgraders_validate_and_validate_button_the_verified_validator():
    """nbgrader has no setting for the Validator's steps: the config points both look-ups at the course's."""
    import nbgrader.apps.validateapp as validate_app
    import nbgrader.server_extensions.validate_assignment.handlers as validate_button
    from traitlets.config.loader import PyFileConfigLoader

    from rnncourse.grading.clients import VerifiedValidator

    saved = validate_app.Validator, validate_button.Validator
    try:
        PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
        assert validate_app.Validator is VerifiedValidator and validate_button.Validator is VerifiedValidator
    finally:
        validate_app.Validator, validate_button.Validator = saved
