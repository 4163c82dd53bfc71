"""Seconds per submission: the course's verified autograde next to nbgrader on an empty notebook.

    .venv/bin/python benchmarks/autograde_speed.py [--students 6] [--assignment 01_rnn_forward]

Three numbers, each for the same number of correct submissions, in scratch
course folders under a temporary directory:

- baseline: plain `nbgrader autograde` of a one-cell, one-test assignment (the
  cost of nbgrader itself: start-up, kernel launch, gradebook);
- the course's `rnncourse.instructor autograde` with one worker;
- the same with two workers (two students graded at a time).
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
from nbgrader.api import Gradebook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")

from rnncourse import instructor, simulate  # noqa: E402


def nbgrader(course, *args):
    subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, check=True, capture_output=True)


def course_with(tmp, name, students, build):
    course = Path(tmp) / name
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    build(course)
    return course


def empty_assignment(course):
    nb = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_code_cell("x = 1")
    answer.metadata["nbgrader"] = {"grade": False, "grade_id": "answer", "locked": False, "schema_version": 3,
                                   "solution": True, "task": False}
    test = nbformat.v4.new_code_cell("assert x == 1")
    test.metadata["nbgrader"] = {"grade": True, "grade_id": "test", "locked": True, "points": 1,
                                 "schema_version": 3, "solution": False, "task": False}
    nb.cells = [answer, test]
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    (course / "solutions" / "empty").mkdir(parents=True)
    nbformat.write(nb, str(course / "solutions" / "empty" / "empty.ipynb"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--assignment", default="01_rnn_forward")
    args = parser.parse_args()
    n, assignment = args.students, args.assignment
    with tempfile.TemporaryDirectory() as tmp:
        base = course_with(tmp, "baseline", n, empty_assignment)
        nbgrader(base, "generate_assignment", "empty", "--force")
        for i in range(n):
            d = base / "submitted" / f"s{i}" / "empty"
            d.mkdir(parents=True)
            shutil.copy(base / "exercises" / "empty" / "empty.ipynb", d)
            nbgrader(base, "db", "student", "add", f"s{i}")
        start = time.perf_counter()
        nbgrader(base, "autograde", "empty", "--force")
        baseline = (time.perf_counter() - start) / n

        results = {}
        for workers in (1, 2):
            def build(course):
                shutil.copytree(ROOT / "solutions", course / "solutions")
            course = course_with(tmp, f"course{workers}", n, build)
            nbgrader(course, "generate_assignment", assignment, "--force")
            correct = next(k for k in simulate.KINDS if k.name == "correct")
            simulate.write_submissions(course, assignment, course / "exercises" / assignment,
                                       course / "solutions" / assignment, kinds=[correct], unknown_student=False)
            src = course / "submitted" / "correct"
            for i in range(n):
                shutil.copytree(src, course / "submitted" / f"s{i}")
            shutil.rmtree(src)
            c = instructor.Course.load(course)
            with Gradebook(c.db_url, c.course_id) as gb:
                for i in range(n):
                    gb.update_or_create_student(f"s{i}")
            start = time.perf_counter()
            scores, findings = instructor.autograde(c, assignment, workers=workers, quiet=True)
            results[workers] = (time.perf_counter() - start) / n
            assert not findings and len(set(scores.values())) == 1, (scores, findings)
        print(f"autograde, seconds per submission ({n} correct submissions, {os.cpu_count()} cores):")
        print(f"  nbgrader autograde, empty one-test notebook (baseline): {baseline:6.2f}")
        print(f"  rnncourse.instructor autograde {assignment}, 1 worker:  {results[1]:6.2f}")
        print(f"  rnncourse.instructor autograde {assignment}, 2 workers: {results[2]:6.2f}")


if __name__ == "__main__":
    main()
