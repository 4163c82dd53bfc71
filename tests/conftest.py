"""Fixtures shared by several test modules."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from support import BIN, ROOT, run

# nbgrader's Gradebook runs `alembic` by name, in this process too.
os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"


@pytest.fixture(scope="session")
def built_site():
    """Build the site exactly as `make book` does (into _build/html, cached by content)."""
    return run(
        ["jupyter-book", "build", ".", "--warningiserror", "--nitpick", "--keep-going"],
        cwd=ROOT,
        timeout=1500,
        check=False,
    )


def _postgres_bin():
    import glob
    import shutil as sh

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = sh.which("initdb")
    return Path(initdb).parent if initdb else None


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL server of our own on loopback, for the gradebook; stopped after the session.

    Debian's server refuses to run as root, so as root the cluster belongs to the
    `postgres` user. Without a server installed the tests that need it skip,
    except under CI (where .ci/run installs it), where they fail.
    """
    bindir = _postgres_bin()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed, and CI must test the gradebook on it")
        pytest.skip("PostgreSQL server not installed: apt-get install postgresql")
    # Not under pytest's tmp folder: its parents are private to root.
    base = Path(tempfile.mkdtemp(prefix="rnncourse-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    as_user = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "grader", "--auth=trust",
                    "-E", "UTF8"], check=True, capture_output=True)
    log = base / "server.log"
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o",
                    f"-h 127.0.0.1 -p {port} -k {sock}", "start"], check=True, capture_output=True)
    try:
        subprocess.run([*as_user, str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "grader",
                        "gradebook"], check=True, capture_output=True)
        yield f"postgresql://grader@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def jail_kind():
    """'bwrap' where the grader's jail works. CI must have it (.ci/run installs bubblewrap);
    elsewhere the tests that need it skip, saying how to install it."""
    from rnncourse.grading import jail

    problem = jail.unsandboxed_reason()
    if problem is None:
        return "bwrap"
    if os.environ.get("CI"):
        pytest.fail(f"the grader's jail must work under CI: {problem}")
    pytest.skip(f"no jail here ({problem}); install it with: apt-get install bubblewrap")
