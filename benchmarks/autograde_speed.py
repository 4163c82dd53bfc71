"""Seconds per submission: verified grading next to plain nbgrader, on the same notebooks, in one run.

    .venv/bin/python benchmarks/autograde_speed.py [--students 6] [--assignment 02_bptt]

The same correct submissions of one assignment are graded four ways, each in a
scratch course folder of its own:

- baseline: stock `nbgrader autograde`, i.e. nbgrader's own Execute step (a Jupyter
  kernel runs the whole notebook, hidden tests included, in the student's process:
  the unverified way);
- verified: `nbgrader autograde` with the course's configuration, where
  VerifiedExecute runs the notebook in the jail and judges outside it;
- the course's `make autograde` command (preflight, one nbgrader run per student,
  report, similarity) with one worker, then with two.

The budget of the grading issue is verified <= 1.5 x baseline per submission. The
last line says whether it holds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")

from rnncourse.grading import instructor, jail  # noqa: E402
from rnncourse.grading.notebooks import filled_release  # noqa: E402

# nbgrader's default autograde steps: what `nbgrader autograde` does without the course's plug-in.
STOCK = """
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, Execute, IgnorePattern, LimitOutput,
                                    SaveAutoGrades)
c.Autograde.autograde_preprocessors = [Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
"""


def nbgrader(course, *args):
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"nbgrader {' '.join(args)} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")


def make_course(tmp, name, assignment, students, stock=False, db_url=None):
    course = Path(tmp) / name
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    if stock:
        with open(course / "nbgrader_config.py", "a") as f:
            f.write(STOCK)
    if db_url:  # benchmarks/shard_speed.py: a PostgreSQL gradebook
        with open(course / "nbgrader_config.py", "a") as f:
            f.write(f"\nc.CourseDirectory.db_url = {db_url!r}\n")
    shutil.copytree(ROOT / "solutions" / assignment, course / "solutions" / assignment)
    nbgrader(course, "generate_assignment", assignment, "--force")
    for nb_path in sorted((course / "solutions" / assignment).glob("*.ipynb")):
        release = nbformat.read(str(course / "exercises" / assignment / nb_path.name), as_version=4)
        filled = filled_release(release, nbformat.read(str(nb_path), as_version=4))
        for i in range(students):
            folder = course / "submitted" / f"student{i}" / assignment
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(filled, str(folder / nb_path.name))
    return course


def scores(course, assignment, students):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "rnncourse") as gb:
        return [gb.find_submission(assignment, f"student{i}").score for i in range(students)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--assignment", default="02_bptt")
    args = parser.parse_args()
    n, a = args.students, args.assignment
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, stock in (("baseline", True), ("verified", False)):
            course = make_course(tmp, label, a, n, stock=stock)
            start = time.perf_counter()
            nbgrader(course, "autograde", a, "--force")
            results[label] = (time.perf_counter() - start) / n
            got = scores(course, a, n)
            assert len(set(got)) == 1 and got[0] > 0, f"{label}: scores {got}"
        for workers in (1, 2):
            course = make_course(tmp, f"make-{workers}", a, n)
            c = instructor.Course.load(course)
            start = time.perf_counter()
            instructor.autograde(c, a, workers=workers, quiet=True)
            results[f"make autograde, {workers} worker{'s' if workers > 1 else ''}"] = (time.perf_counter() - start) / n
            got = scores(course, a, n)
            assert len(set(got)) == 1 and got[0] > 0, f"make autograde: scores {got}"
    ratio = results["verified"] / results["baseline"]
    print(f"autograde_speed: {n} correct submissions of {a}, jail backend {jail.backend()}, "
          f"seconds per submission")
    print(f"  {'stock nbgrader autograde (kernel, unverified): baseline':58s} {results['baseline']:6.2f}")
    print(f"  {'nbgrader autograde with VerifiedExecute (jail)':58s} {results['verified']:6.2f}")
    for key in ("make autograde, 1 worker", "make autograde, 2 workers"):
        print(f"  {key:58s} {results[key]:6.2f}")
    verdict = "holds" if ratio <= 1.5 else "DOES NOT HOLD"
    print(f"autograde_speed: verified / baseline = {ratio:.2f} (budget <= 1.5: {verdict})")


if __name__ == "__main__":
    main()
