"""The student's workflow, as the README and the preface give it.

A student works on a copy in ``work/NN_slug/`` (``make student A=NN_slug``), which no release
and no pull can overwrite; ``make student`` and ``make check`` need only the ``student`` extra;
``jupyter lab`` started from the clone's folder raises no nbgrader set-up error, and its
Validate button gives the grader's verdict; a released notebook links nowhere a downloaded
copy cannot follow.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
import urllib.request

import nbformat
import pytest

from rnncourse.grading.notebooks import filled_release, meta
from support import ASSIGNMENTS, BIN, EXERCISES, ROOT, SOLUTIONS, jupyter_env, notebooks, read

A = ASSIGNMENTS[0]


def _clone(tmp_path, venv=True):
    """A folder laid out like a student's clone: Makefile, pyproject.toml, exercises/ (and the venv)."""
    for name in ("Makefile", "pyproject.toml", "nbgrader_config.py"):
        shutil.copy(ROOT / name, tmp_path)
    shutil.copytree(EXERCISES, tmp_path / "exercises")
    if venv:
        (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    return tmp_path


def _make(clone, *args):
    # The clone's .venv is the repository's: its student stamp stays in the scratch folder.
    stamp = f"STUDENT_STAMP={clone / '.student-stamp'}"
    return subprocess.run(["make", "-C", str(clone), stamp, *args], capture_output=True, text=True, timeout=300)


def test_make_student_copies_the_release_into_work_and_never_replaces_a_file(tmp_path):
    clone = _clone(tmp_path)
    first = _make(clone, "student", f"A={A}")
    assert first.returncode == 0, first.stdout + first.stderr
    mine = clone / "work" / A / f"{A}.ipynb"
    assert mine.read_bytes() == (EXERCISES / A / f"{A}.ipynb").read_bytes()
    assert "pip install" not in first.stdout, "the venv had the student extra, yet make installed something"
    mine.write_text("my answers")
    (clone / "exercises" / A / "data.txt").write_text("a file a later release adds")
    again = _make(clone, "student", f"A={A}")
    assert again.returncode == 0, again.stdout + again.stderr
    assert mine.read_text() == "my answers", "make student replaced the student's notebook"
    assert f"kept work/{A}/{A}.ipynb" in again.stdout, again.stdout
    assert (clone / "work" / A / "data.txt").is_file(), "a file new in the release was not copied"


@pytest.mark.parametrize("given, says", [("", "say which assignment"),
                                         ("99_nothing", "no assignment '99_nothing'")])
def test_make_student_without_a_known_assignment_refuses_and_lists_them(tmp_path, given, says):
    out = _make(_clone(tmp_path), "student", f"A={given}")
    assert out.returncode != 0 and says in out.stdout, out.stdout
    assert all(a in out.stdout for a in ASSIGNMENTS), out.stdout
    assert not (tmp_path / "work").exists()


@pytest.mark.parametrize("target", ["student A=01_rnn_forward", "check NB=x.ipynb"])
def test_student_targets_install_the_student_extra_only(tmp_path, target):
    """Without a venv, the targets would create one with `.[student]`, never the dev toolchain."""
    out = _make(_clone(tmp_path, venv=False), "-n", *target.split())
    assert out.returncode == 0, out.stderr
    assert 'pip install --quiet -e ".[student]"' in out.stdout, out.stdout
    assert "[dev]" not in out.stdout, out.stdout


@pytest.mark.slow
def test_the_release_writes_only_to_exercises(tmp_path):
    """`make release` runs generate_assignment, which writes exercises/NAME/ and nothing under work/."""
    from support import run

    clone = _clone(tmp_path)
    shutil.copytree(SOLUTIONS / A, clone / "solutions" / A)
    _make(clone, "student", f"A={A}")
    mine = clone / "work" / A / f"{A}.ipynb"
    mine.write_text("my answers")
    dry = _make(clone, "-n", "release").stdout
    assert "nbgrader generate_assignment" in dry and "work" not in dry, dry
    run(["nbgrader", "generate_assignment", A, "--force", "--no-db", "--log-level=WARN"], cwd=clone)
    assert mine.read_text() == "my answers"
    assert sorted(p.name for p in (clone / "work" / A).iterdir()) == [f"{A}.ipynb"]


def test_released_notebooks_link_only_to_web_addresses_or_anchors():
    """A relative link (../../book/...) works in the site and breaks in a downloaded notebook."""
    link = re.compile(r"\]\(([^)\s]+)\)|href=\"([^\"]+)\"")
    math = re.compile(r"\$\$.*?\$\$|\$[^$]*\$", re.S)  # w[i](i) in a formula is no link
    for assignment in ASSIGNMENTS:
        for nb_path in notebooks(assignment, EXERCISES):
            for i, cell in enumerate(read(nb_path).cells):
                if cell.cell_type != "markdown":
                    continue
                for m in link.finditer(math.sub("", cell.source)):
                    target = m.group(1) or m.group(2)
                    assert re.match(r"(https?://|#|mailto:)", target), \
                        f"{nb_path.name}, cell {i}: link {target!r} breaks in a downloaded notebook"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_lab(folder, *args):
    port, token = _free_port(), "t" + str(time.time_ns())
    log = open(folder / f"lab-{port}.log", "w")
    proc = subprocess.Popen([str(BIN / "jupyter"), "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
                             f"--port={port}", f"--IdentityProvider.token={token}", *args],
                            cwd=folder, env=jupyter_env(), stdout=log, stderr=subprocess.STDOUT)
    return proc, port, token, folder / f"lab-{port}.log"


def _wait_running(proc, log, seconds=90):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if "is running at" in log.read_text():
            return log.read_text()
        assert proc.poll() is None, f"jupyter lab exited:\n{log.read_text()[-3000:]}"
        time.sleep(0.3)
    raise AssertionError(f"jupyter lab did not start in {seconds} s:\n{log.read_text()[-3000:]}")


@pytest.mark.slow
def test_jupyter_lab_from_the_clone_has_no_course_root_error_and_validate_gives_the_graders_verdict(tmp_path):
    clone = _clone(tmp_path)
    _make(clone, "student", f"A={A}")
    release = read(EXERCISES / A / f"{A}.ipynb")
    perfect = filled_release(release, read(SOLUTIONS / A / f"{A}.ipynb"))
    cheat = filled_release(release, read(SOLUTIONS / A / f"{A}.ipynb"))
    for cell in cheat.cells:  # every answer imports the reference: its kernel passes every visible test
        if meta(cell).get("solution"):
            names = re.findall(r"^def (\w+)\(", cell.source, flags=re.M)
            cell.source = f"from rnncourse import {', '.join(names)}"
    nbformat.write(perfect, str(clone / "work" / A / "perfect.ipynb"))
    nbformat.write(cheat, str(clone / "work" / A / "cheat.ipynb"))
    documented = _start_lab(clone)  # as the README says: `jupyter lab` from the clone's folder
    with_a_path = _start_lab(clone, f"work/{A}/{A}.ipynb")  # what the README said before
    try:
        started = _wait_running(documented[0], documented[3])
        assert "not a subdirectory of the notebook server root" not in started, started
        old_way = _wait_running(with_a_path[0], with_a_path[3])
        assert "not a subdirectory of the notebook server root" in old_way, "the check cannot see the error"
        _, port, token, _ = documented
        # Jupyter moves to another port when the chosen one was taken meanwhile: use the one it reports.
        reported = re.search(r"http://127\.0\.0\.1:(\d+)/", started)
        port = int(reported.group(1)) if reported else port
        verdicts = {}
        for name in ("perfect", "cheat"):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/assignments/validate", method="POST",
                data=json.dumps({"path": f"work/{A}/{name}.ipynb"}).encode(),
                headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=120) as reply:
                verdicts[name] = json.loads(reply.read())
    finally:
        for proc, *_ in (documented, with_a_path):
            proc.terminate()
            proc.wait(timeout=30)
    assert verdicts["perfect"]["success"], verdicts["perfect"]
    assert verdicts["perfect"]["value"] == {}, verdicts["perfect"]
    failed = verdicts["cheat"]["value"].get("failed", [])
    graded = [c for c in release.cells if meta(c).get("grade") and not meta(c).get("solution")]
    assert len(failed) == len(graded), f"{len(failed)} of {len(graded)} test cells failed: {verdicts}"
    assert all("TestFailure" in f["raw_error"] and "is not defined" in f["raw_error"] for f in failed), failed
