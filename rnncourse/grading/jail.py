"""Run a student's code in a jail and bring back plain numbers.

One *job* is a notebook's code cells (run in order, in one namespace) followed by
calls of the student's functions on inputs the grader chose. ``run_job`` runs it
in a separate process and returns what each cell printed or raised and what each
call returned, decoded from plain data (``jail_runner``'s wire format).

Backends (``RNNCOURSE_JAIL`` chooses one; by default the first that works):

- ``bwrap``: Linux, bubblewrap (Debian package ``bubblewrap``). The process has
  its own mount, PID, network, IPC and UTS namespaces. Its file system holds only
  ``/usr`` (read-only), the Python interpreter's standard library (read-only, its
  ``site-packages`` hidden), numpy, the two student tools the notebooks import
  (see ``toolkit``), the job, and a private 64 MB ``/tmp``. No network, no view
  of the repository, the reference package, the grading code or the course's
  files. Started as root, it drops to an unprivileged user id of its own before
  any student code runs, so the process-count limit holds.
- ``none``: a plain child process with the same limits and the same ``sys.path``
  (numpy and the toolkit only), but no isolation: student code can read and
  write what the grader's user can. Every verdict, report, feedback page and
  export made this way says **unsandboxed**.

Limits, on either backend: wall-clock seconds per cell and per call (an alarm
inside, a watchdog outside), CPU seconds, address space, processes, file size,
and the bytes the process may send back. A cell that crashes or hangs the
process is left out and the job is run again without it; a call that does so
costs that call only. Nothing a student's code does can stop the grading of
the rest of the notebook, or of other students.
"""

from __future__ import annotations

import inspect
import json
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import jail_runner
from .jail_runner import decode_value, encode_value, read_frames

__all__ = ["GraderFunction", "JailLimits", "JailRun", "Outcome", "backend", "run_job", "jail_problem",
           "unsandboxed_reason"]

SITE = "/site"  # numpy, inside the jail
JOB = "/job"  # the job, the runner and the toolkit, inside the jail


@dataclass(frozen=True)
class GraderFunction:
    """A function a task takes as input (a loss to check gradients of), written by the grader.

    It is sent to the jail as source code: the jail never receives the reference
    package. ``globals`` holds the arrays (or numbers) the source refers to by name.
    """

    source: str
    name: str
    globals: dict = field(default_factory=dict)

    def materialise(self):
        return jail_runner._make_function(self.source, self.name, dict(self.globals))


def _encode_grader_function(value, arrays):
    if isinstance(value, GraderFunction):
        return {"$fn": {"source": value.source, "name": value.name,
                        "globals": encode_value(dict(value.globals), arrays)}}
    return None


@dataclass(frozen=True)
class JailLimits:
    cell_timeout: float = 30.0  # seconds of wall clock per cell
    call_timeout: float = 10.0  # seconds of wall clock per call of a student function
    memory_bytes: int = 3 * 1024**3  # address space of the process
    processes: int = 32  # processes and threads of the jailed user
    output_bytes: int = 256 * 1024**2  # what the process may send back in all
    tmp_bytes: int = 64 * 1024**2  # its private /tmp
    attempts: int = 6  # runs of the job, each without the cell or call that ended the previous one


@dataclass
class Outcome:
    """What one cell or call did. ``status``: ok, error, timeout, crashed, missing, skipped."""

    status: str
    error: dict | None = None
    stdout: str = ""
    value: object = None
    warnings: list = field(default_factory=list)
    modified: list = field(default_factory=list)
    seconds: float = 0.0

    def message(self):
        if self.error:
            return f"{self.error.get('ename', 'Error')}: {self.error.get('evalue', '')}"
        return self.status


@dataclass
class JailRun:
    backend: str
    sandboxed: bool
    cells: dict  # notebook cell index -> Outcome
    calls: dict  # call id -> Outcome
    notes: list  # what went wrong with the process itself, for the instructor's report
    seconds: float = 0.0


# --- backends ---------------------------------------------------------------------------------


def _numpy_dirs():
    """numpy's package folder and, for wheels, the folder of its bundled libraries."""
    pkg = Path(np.__file__).resolve().parent
    dirs = {"numpy": pkg}
    libs = pkg.parent / "numpy.libs"
    if libs.is_dir():
        dirs["numpy.libs"] = libs
    return dirs


def _interpreter():
    exe = getattr(sys, "_base_executable", None) or sys.executable
    return str(Path(exe).resolve())


@lru_cache(maxsize=None)
def jail_problem():
    """Why bubblewrap cannot be used here (None if it can)."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap jails need Linux (this is {sys.platform})"
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (Debian: apt-get install bubblewrap)"
    with tempfile.TemporaryDirectory() as tmp:
        cmd = _bwrap_command(Path(tmp), Path(tmp) / "site", probe=True)
        try:
            proc = subprocess.run(cmd + [_interpreter(), "-S", "-c", "pass"], capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as err:
            return f"bubblewrap did not start ({err})"
    if proc.returncode != 0:
        return f"bubblewrap did not start: {proc.stderr.decode(errors='replace').strip()[:300]}"
    return None


def unsandboxed_reason():
    """Why grading here runs without a jail (None when the jail is used)."""
    if os.environ.get("RNNCOURSE_JAIL", "").strip().lower() == "none":
        return "RNNCOURSE_JAIL=none asks for no jail"
    return jail_problem()


def backend():
    """The backend in use: 'bwrap' or 'none' (``RNNCOURSE_JAIL`` may ask for one)."""
    wanted = os.environ.get("RNNCOURSE_JAIL", "").strip().lower()
    if wanted == "none":
        return "none"
    problem = jail_problem()
    if wanted == "bwrap" and problem:
        raise RuntimeError(f"RNNCOURSE_JAIL=bwrap, but {problem}")
    return "none" if problem else "bwrap"


def _system_binds():
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    prefix = Path(sys.base_prefix).resolve()
    if not str(prefix).startswith("/usr/"):
        # bwrap would create the parents (/root, ...) readable by their owner only, and the
        # jailed process, once it has dropped to its own user id, could not import from them.
        for parent in reversed(prefix.parents[:-1]):
            args += ["--perms", "0755", "--dir", str(parent)]
        args += ["--ro-bind", str(prefix), str(prefix)]
        purelib = Path(sysconfig.get_paths(vars={"base": str(prefix)})["purelib"])
        if purelib.is_dir():
            args += ["--tmpfs", str(purelib)]  # whatever was installed beside the interpreter stays out
    exe = Path(_interpreter())
    if not str(exe).startswith(("/usr/", str(prefix) + "/")):
        args += ["--ro-bind", str(exe), str(exe)]
    return args


def _bwrap_command(job_dir, site_dir, probe=False, limits=JailLimits()):
    cmd = ["bwrap", "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net", "--unshare-ipc",
           "--unshare-uts", "--unshare-cgroup-try"]
    if os.geteuid() == 0:
        # Root: no user namespace, so that the runner can drop to an unprivileged id (below).
        cmd += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        cmd += ["--unshare-user"]
    cmd += _system_binds()
    cmd += ["--perms", "0755", "--dir", SITE]
    for name, path in _numpy_dirs().items():
        cmd += ["--ro-bind", str(path), f"{SITE}/{name}"]
    if not probe:
        cmd += ["--ro-bind", str(job_dir), JOB]
    cmd += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp",
            "--chdir", "/tmp", "--hostname", "jail"]
    return cmd


# --- the job ---------------------------------------------------------------------------------


# What of rnncourse a student's code may import, in the jail as anywhere: the gradient-checking
# tools and the test helpers (see ``toolkit_files``).
TOOL_MODULES = {"rnncourse", "rnncourse.gradcheck", "rnncourse.grading", "rnncourse.grading.checks"}
TOOL_NAMES = {"rnncourse": {"gradcheck", "grading"}, "rnncourse.gradcheck": {"numerical_gradient", "relative_error"},
              "rnncourse.grading": {"assert_close", "assert_scalar_close", "grade", "checks", "TestFailure"},
              "rnncourse.grading.checks": {"assert_close", "assert_scalar_close", "TestFailure", "compare",
                                           "describe"}}


def reference_imports(node):
    """The names of rnncourse an import statement asks for that the jail does not have (the reference)."""
    import ast

    if isinstance(node, ast.Import):
        # `import rnncourse` works in the jail, but only to reach the tools: it is there to use the reference.
        return [a.name for a in node.names if a.name.split(".")[0] == "rnncourse"
                and (a.name == "rnncourse" or a.name not in TOOL_MODULES)]
    if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "rnncourse":
        if node.module not in TOOL_MODULES:
            return [node.module]
        return [f"{node.module}.{a.name}" for a in node.names if a.name not in TOOL_NAMES[node.module]]
    return []


def toolkit_files():
    """The student tools the notebooks' setup cells import, as {relative path: source}.

    ``rnncourse.gradcheck``'s ``numerical_gradient`` and ``relative_error`` (handed
    to students for gradient checks) and the assertion helpers of the visible tests.
    They are built from the package's own source, function by function, so the
    jail never holds the reference implementations or the grading specifications.
    """
    from .. import _validate, gradcheck
    from . import checks

    gradcheck_src = "\n\n".join([
        '"""The gradient-checking tools of rnncourse that students may use (copied into the grader\'s jail)."""',
        "import numpy as np",
        "from ._validate import as_float_array",
        inspect.getsource(gradcheck.numerical_gradient),
        inspect.getsource(gradcheck.relative_error),
    ])
    return {
        "rnncourse/__init__.py": '"""The parts of rnncourse a student may use inside the grader\'s jail."""\n',
        "rnncourse/_validate.py": inspect.getsource(_validate),
        "rnncourse/gradcheck.py": gradcheck_src + "\n",
        "rnncourse/grading/__init__.py": "from . import checks\nfrom .checks import TestFailure, assert_close, "
                                         "assert_scalar_close\n\n\ndef grade(*args, **kwargs):\n    return None\n",
        "rnncourse/grading/checks.py": inspect.getsource(checks),
    }


def _write_job(job_dir, cells, calls, limits, uid):
    arrays = {}
    encoded = [{"id": c["id"], "function": c["function"],
                "args": encode_value(c["args"], arrays, hook=_encode_grader_function)} for c in calls]
    job = {"cells": cells, "calls": encoded, "uid": uid, "cell_timeout": limits.cell_timeout,
           "call_timeout": limits.call_timeout}
    (job_dir / "job.json").write_text(json.dumps(job))
    np.savez(job_dir / "inputs.npz", **arrays)
    shutil.copy(jail_runner.__file__, job_dir / "runner.py")
    for rel, src in toolkit_files().items():
        path = job_dir / "site" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(src)
    for path in [job_dir, *job_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def _limit(limits, cpu_seconds):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.tmp_bytes, limits.tmp_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if os.geteuid() != 0:
            # Counted per user: leave room for the user's own processes.
            own = sum(1 for p in Path("/proc").iterdir() if p.name.isdigit()) if Path("/proc").is_dir() else 0
            resource.setrlimit(resource.RLIMIT_NPROC, (own + limits.processes, own + limits.processes))
        else:
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
    return apply


def _launch(job_dir, kind, limits, cpu_seconds):
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0", "TMPDIR": "/tmp"}
    if kind == "bwrap":
        boot = (f"import sys; sys.path[:0] = [{SITE!r}, {JOB + '/site'!r}]; import runpy; "
                f"runpy.run_path({JOB + '/runner.py'!r}, run_name='__main__')")
        cmd = _bwrap_command(job_dir, None, limits=limits) + [_interpreter(), "-S", "-E", "-B", "-c", boot, JOB]
    else:
        site = job_dir / "numpy-site"
        site.mkdir(exist_ok=True)
        for name, path in _numpy_dirs().items():
            if not (site / name).exists():
                (site / name).symlink_to(path)
        boot = (f"import sys; sys.path[:0] = [{str(site)!r}, {str(job_dir / 'site')!r}]; import runpy; "
                f"runpy.run_path({str(job_dir / 'runner.py')!r}, run_name='__main__')")
        cmd = [_interpreter(), "-S", "-E", "-B", "-c", boot, str(job_dir)]
        env["TMPDIR"] = env["HOME"] = str(job_dir)
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, preexec_fn=_limit(limits, cpu_seconds), start_new_session=True,
                            cwd=str(job_dir))


def _kill(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.kill()
    except ProcessLookupError:
        pass


def _run_once(job_dir, kind, limits, n_items):
    """Run the job once; returns (frames, how it ended: 'done', 'timeout', 'output', or the exit)."""
    cpu_seconds = int(limits.cell_timeout + limits.call_timeout * 2 + 10) * max(1, n_items)
    proc = _launch(job_dir, kind, limits, min(cpu_seconds, 3600))
    data, frames, parsed_to = bytearray(), [], 0
    deadline = time.monotonic() + 60  # start-up: the interpreter and numpy
    ended = None
    fd = proc.stdout.fileno()
    try:
        while True:
            wait = deadline - time.monotonic()
            if wait <= 0:
                ended = "timeout"
                break
            ready, _, _ = select.select([fd], [], [], min(wait, 1.0))
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            data += chunk
            if len(data) > limits.output_bytes:
                ended = "output"
                break
            new = read_frames(bytes(data[parsed_to:]))
            for meta, arrays in new:
                parsed_to += jail_runner.FRAME_HEADER.size + _frame_size(data, parsed_to)
                frames.append((meta, arrays))
                if meta.get("event") == "begin":
                    budget = limits.cell_timeout if meta.get("kind") == "cell" else limits.call_timeout
                    deadline = time.monotonic() + budget + 5
                elif meta.get("event") == "done":
                    ended = "done"
            if ended == "done":
                break
    finally:
        if ended != "done" or proc.poll() is None:
            _kill(proc)
        proc.wait()
        proc.stdout.close()
        err = proc.stderr.read()[-2000:].decode(errors="replace")
        proc.stderr.close()
    if ended is None:
        code = proc.returncode
        ended = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
        if "MemoryError" in err:
            ended += " (out of memory)"
    return frames, ended, err


_STATUSES = {"ok", "error", "timeout", "crashed", "missing", "skipped"}


def _text(value, limit):
    return value[:limit] if isinstance(value, str) else ""


def _outcome(meta, arrays, max_text):
    """An ``Outcome`` from a frame, whatever the frame holds: student code can write frames too."""
    status = meta.get("status") if meta.get("status") in _STATUSES else "error"
    error = meta.get("error")
    if error is not None or status not in ("ok", "missing", "timeout"):
        error = error if isinstance(error, dict) else {}
        lines = error.get("traceback")
        error = {"ename": _text(error.get("ename"), 200) or "Error", "evalue": _text(error.get("evalue"), 2000),
                 "traceback": [_text(x, 500) for x in lines[:10]] if isinstance(lines, list) else []}
    value = decode_value(meta.get("value"), arrays) if status == "ok" else None
    seconds = meta.get("seconds")
    return Outcome(status, error, _text(meta.get("stdout"), max_text), value,
                   [_text(w, 300) for w in meta.get("warnings") or []][:3] if isinstance(meta.get("warnings"), list)
                   else [],
                   [m for m in meta.get("modified") or [] if isinstance(m, str)]
                   if isinstance(meta.get("modified"), list) else [],
                   float(seconds) if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) else 0.0)


def _frame_size(data, pos):
    (size,) = jail_runner.FRAME_HEADER.unpack_from(bytes(data[pos:pos + jail_runner.FRAME_HEADER.size]))
    return size


def _describe_end(ended, limits):
    if ended == "timeout":
        return "hung (killed by the watchdog)"
    if ended == "output":
        return f"sent more than {limits.output_bytes // 2**20} MB"
    return f"ended the process ({ended})"


def run_job(cells, calls, limits=JailLimits(), kind=None):
    """Run a student's cells, then the calls, in a jail; returns a ``JailRun``.

    Inputs:
    - cells: [(notebook cell index, plain Python source)], in notebook order.
    - calls: [{"id": str, "function": name, "args": dict of keyword arguments}]; the
      arguments may hold arrays, numbers, dicts, lists, tuples and ``GraderFunction``s.
    - limits: a ``JailLimits``.
    - kind: 'bwrap' or 'none'; by default ``backend()``.
    """
    kind = kind or backend()
    start = time.perf_counter()
    excluded, outcomes_cells, outcomes_calls, notes = set(), {}, {}, []
    pending = list(calls)
    for attempt in range(limits.attempts):
        job_cells = [{"index": i, "source": s} for i, s in cells if i not in excluded]
        with tempfile.TemporaryDirectory(prefix="rnncourse-jail-") as tmp:
            job_dir = Path(tmp)
            # One unprivileged user id per grading process, so that jails running side by side
            # (two graders at once) never share a process count.
            uid = 100_000 + os.getpid() if (kind == "bwrap" and os.geteuid() == 0) else None
            _write_job(job_dir, job_cells, pending, limits, uid)
            frames, ended, err = _run_once(job_dir, kind, limits, len(job_cells) + len(pending))
        begun = None
        for meta, arrays in frames:
            event = meta.get("event")
            if event == "begin":
                begun = (meta.get("kind"), meta.get("key"))
            elif event == "cell":
                outcomes_cells[meta.get("key")] = _outcome(meta, arrays, jail_runner.MAX_TEXT)
                begun = None
            elif event == "call":
                outcomes_calls[meta.get("key")] = _outcome(meta, arrays, 2000)
                begun = None
        if ended == "done":
            break
        if begun is None:
            if not frames:
                notes.append(f"the jail did not start ({ended}): {err.strip()[-300:]}")
                for call in pending:
                    outcomes_calls.setdefault(call["id"], Outcome("crashed", {"ename": "GradingError",
                                              "evalue": "the grader's jail did not start"}))
                break
            begun = ("call", pending[0]["id"]) if pending and pending[0]["id"] not in outcomes_calls else None
        what = _describe_end(ended, limits)
        if begun and begun[0] == "cell":
            excluded.add(begun[1])
            status = "timeout" if ended == "timeout" else "crashed"
            outcomes_cells[begun[1]] = Outcome(status, {"ename": "CellLeftOut", "evalue":
                                               f"this cell {what}; the notebook was graded without it"})
            notes.append(f"cell {begun[1]} {what}: graded without it")
        elif begun:
            status = "timeout" if ended == "timeout" else "crashed"
            outcomes_calls[begun[1]] = Outcome(status, {"ename": "Crashed" if status == "crashed" else "Timeout",
                                               "evalue": f"this call {what}"})
            function = next((c["function"] for c in pending if c["id"] == begun[1]), "?")
            notes.append(f"a call of {function} {what}")
            # A function that brought the process down once is not called again: each
            # further call would cost a whole run of the job.
            for call in pending:
                if call["function"] == function and call["id"] not in outcomes_calls:
                    outcomes_calls[call["id"]] = Outcome(status, {"ename": "NotRun", "evalue":
                                                         f"not run: an earlier call of {function} {what}"})
        pending = [c for c in pending if c["id"] not in outcomes_calls]
        if not pending and not (begun and begun[0] == "cell"):
            break
    for call in calls:
        outcomes_calls.setdefault(call["id"], Outcome("skipped", {"ename": "NotRun", "evalue":
                                  "not run: the process failed too often"}))
    return JailRun(kind, kind == "bwrap", outcomes_cells, outcomes_calls, notes, time.perf_counter() - start)
