"""``python -m rnncourse.grading check NOTEBOOK.ipynb``: the grader's verdict on a notebook, before submitting.

It runs the notebook the way the course's grader does: every code cell except the
test cells, in a sandbox with only numpy and the standard library (bubblewrap,
where it is installed; otherwise a plain process, and it says so), then calls your
functions on inputs drawn from a seed of its own and judges the results outside.
It prints each test cell's points and message, what your cells printed or raised,
and the total. The instructor's grader uses other inputs (from a secret seed), so a
function that passes here passes there unless it is right only by chance.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from pathlib import Path

import nbformat

from . import jail
from .verify import cell_name, grade_notebook


def check(path, out=None):
    out = out or sys.stdout
    path = Path(path)
    try:
        nb = nbformat.read(str(path), as_version=4)
        nbformat.validate(nb)
    except Exception as err:
        print(f"{path} is not a notebook that can be read: {type(err).__name__}: {err}", file=out)
        return 2
    name = path.stem
    result = grade_notebook(nb, secrets.token_hex(16), name, "you", name)
    if result.sandboxed:
        print(f"Grading {path.name} in a sandbox ({result.backend}), as the grader does.\n", file=out)
    else:
        print(f"Grading {path.name} WITHOUT a sandbox ({jail.unsandboxed_reason()}); the grader uses one, "
              "so code that reads files or imports rnncourse may pass here and fail there.\n", file=out)
    for index, outcome in sorted(result.cells.items()):
        tips = result.advice.get(index, [])
        if outcome.status != "ok" or tips:
            print(f"{cell_name(index).capitalize()}:", file=out)  # as the report counts cells
            for tip in tips:
                print(f"  note: {tip}", file=out)
            if outcome.status != "ok":
                print(f"  {outcome.message()}", file=out)
    for v in result.verdicts.values():
        got = v.points if v.passed else 0.0
        print(f"[{got:g}/{v.points:g}] {v.grade_id}: " + ("passed" if v.passed else "FAILED"), file=out)
        if not v.passed:
            for line in v.message.splitlines():
                print(f"    {line}", file=out)
    for note in result.notes:
        print(f"note: {note}", file=out)
    print(f"\nTotal: {result.score:g} of {result.max_score:g} points.", file=out)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m rnncourse.grading", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="grade a notebook as the grader would, and print what it finds")
    p.add_argument("notebook", nargs="+")
    args = parser.parse_args(argv)
    return max(check(nb) for nb in args.notebook)


if __name__ == "__main__":
    sys.exit(main())
