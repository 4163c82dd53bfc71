"""``python -m rnncourse.grading check NOTEBOOK.ipynb``: the grader's verdict on a notebook, before submitting.

(``python -m rnncourse.grading start NN_slug``, which ``make student A=NN_slug`` runs, copies an
assignment's release into ``work/NN_slug/``, the student's own folder, never replacing a file.)

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
import shutil
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


def start(assignment, exercises="exercises", work="work", out=None):
    """Copy ``exercises/<assignment>/`` to ``work/<assignment>/``, the student's folder; returns an exit code.

    A file that is already in ``work/<assignment>/`` is never replaced: it holds the student's
    answers. ``work/`` is ignored by git, and ``make release`` and ``git pull`` write only to
    ``exercises/``, so neither can overwrite it.
    """
    out = out or sys.stdout
    exercises, work = Path(exercises), Path(work)
    available = sorted(p.name for p in exercises.glob("[0-9][0-9]_*") if p.is_dir())
    if not available:
        print(f"no assignments in {exercises.resolve()}: run this from the course repository's root folder",
              file=out)
        return 2
    if not assignment or assignment not in available:
        given = f"no assignment {assignment!r}" if assignment else "say which assignment"
        print(f"{given}: make student A=NAME (python -m rnncourse.grading start NAME), with NAME one of: "
              f"{', '.join(available)}", file=out)
        return 2
    source, target = exercises / assignment, work / assignment
    copied, kept = [], []
    for path in sorted(source.rglob("*")):
        if not path.is_file() or ".ipynb_checkpoints" in path.parts:
            continue
        dest = target / path.relative_to(source)
        if dest.exists():
            kept.append(dest)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        copied.append(dest)
    for dest in copied:
        print(f"copied {dest}", file=out)
    for dest in kept:
        print(f"kept {dest}: it is already there (your work), so the release's copy was not copied over it",
              file=out)
    notebooks = sorted(target.glob("*.ipynb"))
    print(f"\nWork in {target}/. Start Jupyter from this folder (jupyter lab), open "
          f"{notebooks[0] if notebooks else target}, and before you submit run "
          f"make check NB={notebooks[0] if notebooks else target}", file=out)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m rnncourse.grading", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="grade a notebook as the grader would, and print what it finds")
    p.add_argument("notebook", nargs="+")
    p = sub.add_parser("start", help="copy exercises/NAME/ into work/NAME/ (never replaces a file there)")
    p.add_argument("assignment", nargs="?", default="", help="the assignment, for example 01_rnn_forward")
    args = parser.parse_args(argv)
    if args.command == "start":
        return start(args.assignment)
    return max(check(nb) for nb in args.notebook)


if __name__ == "__main__":
    sys.exit(main())
