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
    out = run([sys.executable, "-m", "rnncourse.instructor", "--root", ROOT, "demo", assignment,
               "--dir", tmp_path / "demo"], cwd=ROOT, timeout=900).stdout
    rows = {}
    for line in out.split("The gradebook:")[1].splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 4 and parts[2] == "/":
            rows[parts[0]] = (float(parts[1]), float(parts[3]))
    full = rows["correct"][1]
    assert rows["correct"] == (full, full)
    for cheat_or_empty in ("empty", "import-reference", "patch-helpers", "invalid-json"):
        assert rows[cheat_or_empty][0] == 0, (cheat_or_empty, rows)
    assert 0 < rows["partial"][0] < full and 0 < rows["endless-loop"][0] < full
    for step in ("zip_collect", "feedback", "grades.csv"):
        assert step in out
    assert (tmp_path / "demo" / "grades.csv").is_file()
    assert list((tmp_path / "demo" / "feedback" / "correct" / assignment).glob("*.html"))


@pytest.mark.parametrize(
    "target, expected",
    [
        ("collect A=X", "-m rnncourse.instructor collect X"),
        ("autograde A=X", "-m rnncourse.instructor autograde X"),
        ("feedback A=X", "-m rnncourse.instructor feedback X"),
        ("export", "-m rnncourse.instructor export --to grades.csv"),
        ("demo A=X", "-m rnncourse.instructor demo X --dir _demo"),
        ("release", "nbgrader generate_assignment"),
    ],
)
def test_make_targets_run_the_tested_commands(target, expected):
    out = subprocess.run(["make", "-n", "-C", str(ROOT), *target.split()], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert expected in out.stdout, out.stdout
