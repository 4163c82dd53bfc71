"""The commands the README and the instructors' chapter give, run as given.

`make demo` runs the whole loop (release, an LMS download, zip_collect,
verified autograde, feedback, export) on simulated submissions; the other
Make targets must expand to the instructor commands that the pipeline and
security tests exercise.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from support import ASSIGNMENTS, ROOT, run

pytestmark = pytest.mark.slow


def test_demo_runs_the_whole_loop_and_prints_the_right_gradebook(tmp_path):
    assignment = ASSIGNMENTS[0]
    out = run([sys.executable, "-m", "rnncourse.grading.instructor", "--root", ROOT, "demo", assignment,
               "--dir", tmp_path / "demo"], cwd=ROOT, timeout=900).stdout
    rows = {}
    for line in out.split("The gradebook:")[1].splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 4 and parts[2] == "/":
            rows[parts[0]] = (float(parts[1]), float(parts[3]))
    full = rows["correct"][1]
    assert rows["correct"] == (full, full)
    for cheat_or_empty in ("empty", "import-reference", "reach-interpreter", "invalid-json"):
        assert rows[cheat_or_empty][0] == 0, (cheat_or_empty, rows)
    assert 0 < rows["partial"][0] < full and 0 < rows["endless-loop"][0] < full
    for step in ("zip_collect", "feedback", "grades.csv"):
        assert step in out
    assert (tmp_path / "demo" / "grades.csv").is_file()
    assert list((tmp_path / "demo" / "feedback" / "correct" / assignment).glob("*.html"))


@pytest.mark.parametrize(
    "target, expected",
    [
        ("collect A=01_rnn_forward", "-m rnncourse.grading.instructor collect 01_rnn_forward"),
        ("autograde A=01_rnn_forward", "-m rnncourse.grading.instructor autograde 01_rnn_forward"),
        ("feedback A=01_rnn_forward", "-m rnncourse.grading.instructor feedback 01_rnn_forward"),
        ("export", "-m rnncourse.grading.instructor export --to grades.csv"),
        ("demo A=01_rnn_forward", "-m rnncourse.grading.instructor demo 01_rnn_forward --dir _demo"),
        ("roster FILE=students.csv", "-m rnncourse.grading.instructor roster \"students.csv\""),
        ("check NB=x.ipynb", "-m rnncourse.grading check \"x.ipynb\""),
        ("release", "nbgrader generate_assignment"),
    ],
)
def test_make_targets_run_the_tested_commands(target, expected):
    out = subprocess.run(["make", "-n", "-C", str(ROOT), *target.split()], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert expected in out.stdout, out.stdout


@pytest.mark.parametrize("target", ["autograde", "collect", "feedback", "demo", "autograde A=nonsense"])
def test_instructor_targets_without_an_assignment_refuse_and_list_the_assignments(target):
    out = subprocess.run(["make", "-C", str(ROOT), *target.split()], capture_output=True, text=True)
    assert out.returncode != 0
    assert "Say which assignment" in out.stdout and all(a in out.stdout for a in ASSIGNMENTS), out.stdout


def _scratch_course(tmp_path):
    """A folder with the Makefile, a venv stamp and some grading data, to clean."""
    import shutil

    shutil.copy(ROOT / "Makefile", tmp_path)
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    for folder in ("_build", "staged", "submitted/alice/01_rnn_forward", "feedback", "reports"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "gradebook.db").write_text("grades")
    (tmp_path / "grades.csv").write_text("grades")
    return tmp_path


def test_make_clean_removes_build_output_and_keeps_the_grading_data(tmp_path):
    course = _scratch_course(tmp_path)
    subprocess.run(["make", "-C", str(course), "clean"], check=True, capture_output=True)
    assert not (course / "_build").exists() and not (course / "staged").exists()
    for kept in ("gradebook.db", "grades.csv", "submitted", "feedback", "reports"):
        assert (course / kept).exists(), f"make clean deleted {kept}"


def test_make_clean_grading_deletes_nothing_without_confirmation(tmp_path):
    course = _scratch_course(tmp_path)
    out = subprocess.run(["make", "-C", str(course), "clean-grading"], stdin=subprocess.DEVNULL,
                         capture_output=True, text=True)
    assert out.returncode != 0 and "nothing deleted" in out.stdout
    assert (course / "gradebook.db").exists() and (course / "submitted").exists()
    out = subprocess.run(["make", "-C", str(course), "clean-grading", "CONFIRM=yes"], stdin=subprocess.DEVNULL,
                         capture_output=True, text=True)
    assert out.returncode != 0 and (course / "gradebook.db").exists(), "a wrong confirmation deleted data"
    subprocess.run(["make", "-C", str(course), "clean-grading", "CONFIRM=rnncourse"], check=True,
                   capture_output=True)
    for gone in ("gradebook.db", "grades.csv", "submitted", "feedback", "reports"):
        assert not (course / gone).exists(), f"{gone} is still there after a confirmed clean-grading"


def test_roster_imports_students_and_collect_lists_unknown_ones(tmp_path):
    import shutil

    from nbgrader.api import Gradebook

    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions", course / "solutions")
    (course / "students.csv").write_text("id,first_name,last_name,email\nalice,Alice,A,a@x.org\nbob,Bob,B,\n")
    cli = [sys.executable, "-m", "rnncourse.grading.instructor", "--root", str(course)]
    out = run([*cli, "roster", course / "students.csv"], cwd=course).stdout
    assert "2 students" in out
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "rnncourse") as gb:
        assert {s.id for s in gb.students} == {"alice", "bob"}
        assert gb.find_student("alice").email == "a@x.org"
    run(["nbgrader", "generate_assignment", ASSIGNMENTS[0], "--force"], cwd=course)
    archive = course / "downloaded" / ASSIGNMENTS[0] / "archive"
    archive.mkdir(parents=True)
    release = course / "exercises" / ASSIGNMENTS[0] / f"{ASSIGNMENTS[0]}.ipynb"
    for student in ("alice", "mallory"):
        shutil.copy(release, archive / f"{student}_{ASSIGNMENTS[0]}.ipynb")
    out = run([*cli, "collect", ASSIGNMENTS[0]], cwd=course).stdout
    assert "not in the gradebook: mallory" in out, out


def test_collecting_again_keeps_every_submission_it_replaces(tmp_path):
    """zip_collect --force empties the folders of the students in the archive: a second collection
    must keep the earlier files of those it replaces, and say where, and keep no copy of the rest."""
    import shutil

    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions", course / "solutions")
    A = ASSIGNMENTS[0]
    run(["nbgrader", "generate_assignment", A, "--force"], cwd=course)
    archive = course / "downloaded" / A / "archive"
    archive.mkdir(parents=True)
    release = (course / "exercises" / A / f"{A}.ipynb").read_text()
    for student in ("alice", "bob"):
        (archive / f"{student}_{A}.ipynb").write_text(release)
    cli = [sys.executable, "-m", "rnncourse.grading.instructor", "--root", str(course)]
    first = run([*cli, "collect", A], cwd=course).stdout
    assert "replaced" not in first and not (course / "backups").exists(), first
    assert "no submission time" not in first, "with no due date, a missing time is not worth a word"
    first_alice = (course / "submitted" / "alice" / A / f"{A}.ipynb").read_text()
    (archive / f"alice_{A}.ipynb").write_text(release.replace('"cells": [', '"cells": [\n', 1) + "\n")
    second = run([*cli, "collect", A], cwd=course).stdout
    assert "1 earlier submission replaced by this collection (alice)" in second, second
    kept = list((course / "backups").glob(f"{A}-*/alice/{A}.ipynb"))
    assert len(kept) == 1 and kept[0].read_text() == first_alice
    assert not list((course / "backups").glob(f"{A}-*/bob")), "an unchanged submission was copied"
