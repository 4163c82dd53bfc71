"""Shared helpers for the notebook, nbgrader and site tests (not a test module)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
ASSIGNMENTS = sorted(p.name for p in SOLUTIONS.glob("[0-9][0-9]_*") if p.is_dir())

SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def jupyter_env() -> dict:
    """Environment for Jupyter subprocesses: no user-level kernels or config, no GUI backend."""
    env = dict(os.environ)
    env.update(
        JUPYTER_PLATFORM_DIRS="1",
        JUPYTER_CONFIG_DIR=str(ROOT / ".venv" / "etc" / "jupyter-config"),
        JUPYTER_DATA_DIR=str(ROOT / ".venv" / "share" / "jupyter-data"),
        MPLBACKEND="Agg",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        # nbgrader runs helper programs (alembic) by name: the venv's must come first.
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    return env


def run(cmd, cwd, timeout=600, check=True, env=None) -> subprocess.CompletedProcess:
    """Run a command from the venv's bin folder; on failure, show its output in the assertion.

    ``env``: variables to set on top of ``jupyter_env()`` (for example a PATH without bwrap).
    """
    cmd = [str(BIN / cmd[0]) if (BIN / cmd[0]).exists() else cmd[0], *map(str, cmd[1:])]
    proc = subprocess.run(
        cmd, cwd=cwd, env={**jupyter_env(), **(env or {})}, capture_output=True, text=True, timeout=timeout
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"{' '.join(cmd)} exited with {proc.returncode}\n--- stdout\n{proc.stdout[-4000:]}"
            f"\n--- stderr\n{proc.stderr[-4000:]}"
        )
    return proc


def notebooks(assignment: str, folder: Path = SOLUTIONS) -> list[Path]:
    return sorted((folder / assignment).glob("*.ipynb"))


def read(path: Path):
    return nbformat.read(str(path), as_version=4)


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def marked_blocks(source: str, begin: str, end: str) -> list[list[str]]:
    """The lines strictly between each ``begin`` and ``end`` marker line."""
    blocks, current = [], None
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == begin:
            current = []
        elif stripped == end and current is not None:
            blocks.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def strip_solution_markers(source: str) -> str:
    """A solution cell as a student who solved it would leave it: the code without the markers."""
    lines = [ln for ln in source.splitlines() if ln.strip() not in (SOLUTION_BEGIN, SOLUTION_END)]
    return "\n".join(lines)


def make_course(tmp: Path) -> Path:
    """A scratch nbgrader course folder: the repo's config and solutions, nothing else."""
    course = tmp / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(SOLUTIONS, course / "solutions")
    return course


def perfect_submission(release_nb: Path, source_nb: Path):
    """The released notebook with every solution cell filled in from the source's solution."""
    release, source = read(release_nb), read(source_nb)
    answers = {
        nbgrader_meta(c)["grade_id"]: strip_solution_markers(c.source)
        for c in source.cells
        if nbgrader_meta(c).get("solution")
    }
    for cell in release.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            cell.source = answers[meta["grade_id"]]
    return release


_WS = re.compile(r"\s+")


def normalise(line: str) -> str:
    return _WS.sub(" ", line).strip()


# Lines of a solution that any code on the topic may contain, so finding one
# elsewhere says nothing: a bare return of a name, unpacking a shape, a loop
# header, a copy of a name, or a single call of a course function on plain
# names (the book demonstrates the reference functions with exactly such calls).
_GENERIC = [
    re.compile(r"^return \w+$"),
    re.compile(r"^[\w, ]+ = \w+\.shape(\[[-\d:]+\])?$"),
    re.compile(r"^for \w+ in range\(\w+\):$"),
    re.compile(r"^\w+ = \w+$"),
    re.compile(r"^(\w+ = )?\w+\((\w+(, )?)*\)$"),
]


def is_generic(line: str) -> bool:
    line = normalise(line)
    return len(line) < 12 or line.startswith("#") or any(p.match(line) for p in _GENERIC)


def secret_lines() -> dict[str, str]:
    """Every non-generic line of a solution block or a hidden-test block, with where it comes from."""
    secrets = {}
    for assignment in ASSIGNMENTS:
        for nb_path in notebooks(assignment):
            for cell in read(nb_path).cells:
                blocks = marked_blocks(cell.source, SOLUTION_BEGIN, SOLUTION_END)
                blocks += marked_blocks(cell.source, HIDDEN_BEGIN, HIDDEN_END)
                for block in blocks:
                    for line in block:
                        if not is_generic(line):
                            secrets[normalise(line)] = f"{assignment}/{nb_path.name}"
    return secrets


def hidden_test_lines() -> set[str]:
    """Every non-generic line of a hidden-test block (students never see these)."""
    lines = set()
    for assignment in ASSIGNMENTS:
        for nb_path in notebooks(assignment):
            for cell in read(nb_path).cells:
                for block in marked_blocks(cell.source, HIDDEN_BEGIN, HIDDEN_END):
                    lines |= {normalise(ln) for ln in block if not is_generic(ln)}
    return lines


class raises_message:
    """Like ``pytest.raises(AssertionError, match=pattern)``, on the message with its line wraps undone.

    The grading checks wrap their messages at 100 columns (so that ``nbgrader validate``
    shows them whole); a pattern written for the one-line message still matches.
    """

    def __init__(self, pattern):
        self.pattern = pattern
        self.value = None

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if kind is None:
            raise AssertionError(f"no AssertionError raised (expected one matching {self.pattern!r})")
        if not issubclass(kind, AssertionError):
            return False
        text = str(value).replace("\n", " ")
        if not re.search(self.pattern, text):
            raise AssertionError(f"message {text!r} does not match {self.pattern!r}")
        self.value = value
        return True
