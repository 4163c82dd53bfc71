"""No jail, no grade, unless the instructor says so: both grading paths, on a machine without bubblewrap.

The machine without bubblewrap is simulated by running nbgrader with a PATH that holds
only the venv's programs (so ``bwrap`` is not found). Plain ``nbgrader autograde``
(what formgrader's button runs) refuses the notebook, says why and how to install
bubblewrap, and stores no grade; with ``VerifiedExecute.allow_unsandboxed`` it grades,
and the report, the test cells' outputs (so the feedback) and the export say
UNSANDBOXED and why. ``make autograde``'s command refuses before it grades anyone.
"""

from __future__ import annotations

import csv
import json

import nbformat
import pytest
from nbgrader.api import Gradebook, MissingEntry

from rnncourse.grading import instructor, jail
from support import BIN, make_course, notebooks, perfect_submission, run

pytestmark = pytest.mark.slow
ASSIGNMENT = "01_rnn_forward"


def test_the_course_command_refuses_before_grading_anyone(tmp_path, monkeypatch):
    monkeypatch.setattr(jail, "jail_problem", lambda: "bubblewrap is not installed (Debian: apt-get install "
                                                      "bubblewrap)")
    monkeypatch.delenv("RNNCOURSE_JAIL", raising=False)
    course_dir = make_course(tmp_path)
    (course_dir / "submitted" / "alice" / ASSIGNMENT).mkdir(parents=True)
    with pytest.raises(SystemExit, match="Refusing to grade without a jail: bubblewrap is not installed.*"
                                         "apt-get install bubblewrap.*--allow-unsandboxed"):
        instructor.autograde(instructor.Course.load(course_dir), ASSIGNMENT, quiet=True)
    assert not (course_dir / "staged").exists() and not (course_dir / "reports").exists()


def test_plain_nbgrader_refuses_without_a_jail_and_grades_marked_unsandboxed_after_the_opt_in(tmp_path):
    course_dir = make_course(tmp_path)
    run(["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], cwd=course_dir)
    source = notebooks(ASSIGNMENT)[0]
    folder = course_dir / "submitted" / "alice" / ASSIGNMENT
    folder.mkdir(parents=True)
    release = course_dir / "exercises" / ASSIGNMENT / source.name
    nbformat.write(perfect_submission(release, source), str(folder / source.name))
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}", "rnncourse") as gb:
        gb.update_or_create_student("alice")

    no_bwrap = {"PATH": str(BIN)}  # the venv's programs only: bwrap is not found
    refused = run(["nbgrader", "autograde", ASSIGNMENT, "--force"], cwd=course_dir, check=False, env=no_bwrap)
    log = refused.stdout + refused.stderr
    assert refused.returncode != 0, log[-3000:]
    assert "Refusing to grade without a jail: bubblewrap is not installed" in log, log[-3000:]
    assert "apt-get install bubblewrap" in log and "allow_unsandboxed" in log
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}", "rnncourse") as gb:
        try:
            stored = gb.find_submission(ASSIGNMENT, "alice").score
        except MissingEntry:
            stored = None
    assert not stored, f"a grade was stored without a jail: {stored}"

    run(["nbgrader", "autograde", ASSIGNMENT, "--force", "--VerifiedExecute.allow_unsandboxed=True"],
        cwd=course_dir, env=no_bwrap)
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}", "rnncourse") as gb:
        submission = gb.find_submission(ASSIGNMENT, "alice")
        assert submission.score == submission.max_score > 0
    report = json.loads(next((course_dir / "reports" / ASSIGNMENT / "alice").glob("*.json")).read_text())
    assert report["sandboxed"] is False and "bubblewrap is not installed" in report["unsandboxed_reason"]
    graded = nbformat.read(str(course_dir / "autograded" / "alice" / ASSIGNMENT / source.name), as_version=4)
    tests = [c for c in graded.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade")
             and not c.metadata["nbgrader"].get("solution")]
    assert tests and all("UNSANDBOXED" in c.outputs[0].get("text", "") and "bubblewrap is not installed"
                         in c.outputs[0].get("text", "") for c in tests)
    run(["nbgrader", "export", "--to", "grades.csv"], cwd=course_dir)
    rows = {r["student_id"]: r for r in csv.DictReader((course_dir / "grades.csv").open())}
    assert rows["alice"]["grading"].startswith("UNSANDBOXED (bubblewrap is not installed")
