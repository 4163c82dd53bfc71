"""Run a student's code in a jail and bring back plain numbers.

One *job* is a notebook's code cells (run in order, in one namespace) followed by
calls of the student's functions on inputs the grader chose. ``run_job`` runs it
in a separate process and returns what each cell printed or raised and what each
call returned, decoded from plain data (``jail_runner``'s wire format).

The grader drives the process, one command at a time, and trusts nothing it sends
back: every deadline is the grader's own clock (a frame from the jail cannot move
it), every reply is read against a byte budget before it is decoded and checked
field by field, and a call's inputs enter the jail only when the call is made.

Backends:

- ``bwrap``: Linux, bubblewrap (Debian package ``bubblewrap``). The process has
  its own mount, PID, network, IPC and UTS namespaces. Its file system holds only
  ``/usr`` (read-only), the Python interpreter's standard library (read-only, its
  ``site-packages`` hidden), numpy, the two student tools the notebooks import
  (see ``toolkit``), the job, a private 64 MB ``/tmp`` and a 16 MB ``/dev/shm``.
  No network, no view of the repository, the reference package, the grading code
  or the course's files. A seccomp filter refuses new namespaces (so no nested user
  namespace and no mount of a memory file system outside the limits), mounts,
  ``memfd_create``, ``ptrace``, ``bpf``, ``io_uring`` and the like. Started as root,
  it drops to an unprivileged user id of its own before any student code runs.
- ``none``: a plain child process with the same rlimits and the same ``sys.path``
  (numpy and the toolkit only), but no isolation. Grading never uses it unless the
  instructor opts in (``grading_backend``); every verdict, report, feedback page
  and export made this way says **UNSANDBOXED** and why.

Limits: wall-clock seconds per cell and per call and for the whole submission (the
grader's deadlines; an alarm inside only makes a timeout clean), bytes of every
reply and of the whole conversation, and per process CPU seconds, address space,
processes, file size and open files. Where the machine lets the grader create
cgroups (root, or a delegated cgroup v2), the whole jail also gets one memory
limit that counts its files in memory, one process count and one CPU (``Cgroup``).
``JailRun.enforced`` says which of these held for a run. A cell that crashes or
hangs the process is left out and the job is run again without it; a call that does
so costs that call only. Nothing a student's code does can stop the grading of the
rest of the notebook, or of other students.
"""

from __future__ import annotations

import inspect
import json
import os
import platform
import resource
import select
import shutil
import signal
import struct
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
from .jail_runner import FrameError, decode_value, encode_value, pack_frame, parse_payload

__all__ = ["GraderFunction", "JailLimits", "JailRun", "NoJail", "Outcome", "backend", "grading_backend", "run_job",
           "jail_problem", "unsandboxed_reason"]

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
    submission_timeout: float = 600.0  # seconds of wall clock for the whole notebook, restarts included
    memory_bytes: int = 3 * 1024**3  # address space of each process, and memory of the whole jail (cgroup)
    processes: int = 32  # processes and threads of the jailed user (of the whole jail, with a cgroup)
    output_bytes: int = 256 * 1024**2  # what the process may send back in all, over every run of the job
    frame_bytes: int = 64 * 1024**2  # one reply
    tmp_bytes: int = 64 * 1024**2  # its private /tmp, and the largest file it may write
    shm_bytes: int = 16 * 1024**2  # its private /dev/shm
    open_files: int = 256
    attempts: int = 6  # runs of the job, each without the cell or call that ended the previous one
    startup_timeout: float = 60.0  # seconds for the interpreter and numpy to start
    grace: float = 3.0  # seconds past a limit before the grader kills the jail (the alarm inside comes first)


@dataclass
class Outcome:
    """What one cell or call did. ``status``: ok, error, timeout, crashed, missing, skipped.

    ``timeout`` alone is the alarm inside the jail interrupting it at its limit; with ``fault``
    set, the process itself failed on it (hung past the grader's deadline, ended, sent too much)
    and ``fault`` says how. ``skipped`` (error ``NotRun``) was never run, and says why.
    """

    status: str
    error: dict | None = None
    stdout: str = ""
    value: object = None
    warnings: list = field(default_factory=list)
    modified: list = field(default_factory=list)
    seconds: float = 0.0
    fault: str = ""  # how this cell or call brought the process down ("ended the process (exit code 3)")

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
    enforced: dict = field(default_factory=dict)  # limit -> how it was enforced on this machine
    received_bytes: int = 0  # what the jail sent back, over every run
    # The notes about no single cell or call (the jail did not start, the notebook's ceiling):
    # a caller that describes each cell and call itself, from its ``fault``, adds only these.
    general_notes: list = field(default_factory=list)


class NoJail(RuntimeError):
    """Grading was asked for where no jail works, and the instructor did not opt in to grading without one."""


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
        filter_fd = _seccomp_fd()
        cmd = _bwrap_command(Path(tmp), probe=True, seccomp_fd=filter_fd)
        try:
            proc = subprocess.run(cmd + [_interpreter(), "-S", "-c", "pass"], capture_output=True, timeout=60,
                                  pass_fds=() if filter_fd is None else (filter_fd,))
        except (OSError, subprocess.TimeoutExpired) as err:
            return f"bubblewrap did not start ({err})"
        finally:
            if filter_fd is not None:
                os.close(filter_fd)
    if proc.returncode != 0:
        return f"bubblewrap did not start: {proc.stderr.decode(errors='replace').strip()[:300]}"
    return None


HOW_TO_JAIL = ("Install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap) and grade again. To grade "
               "without a jail anyway (student code then runs with your permissions and can read and change your "
               "files), opt in explicitly: c.VerifiedExecute.allow_unsandboxed = True in nbgrader_config.py, or "
               "--allow-unsandboxed on the course's autograde command (make autograde ... UNSANDBOXED=1).")


def unsandboxed_reason():
    """Why grading here would run without a jail (None when the jail can be used)."""
    if os.environ.get("RNNCOURSE_JAIL", "").strip().lower() == "none":
        # Say which: the instructor's choice on a machine with a working jail, or both reasons.
        problem = jail_problem()
        return "RNNCOURSE_JAIL=none asks for no jail" + (f", and {problem}" if problem else
                                                         ", though bubblewrap works here")
    return jail_problem()


def backend():
    """The backend a student's own check uses: 'bwrap' where it works, else 'none'.

    ``RNNCOURSE_JAIL`` may ask for one. Grading goes through ``grading_backend``, which
    refuses 'none' unless the instructor opts in.
    """
    wanted = os.environ.get("RNNCOURSE_JAIL", "").strip().lower()
    if wanted == "none":
        return "none"
    problem = jail_problem()
    if wanted == "bwrap" and problem:
        raise RuntimeError(f"RNNCOURSE_JAIL=bwrap, but {problem}")
    return "none" if problem else "bwrap"


def grading_backend(allow_unsandboxed=False):
    """The backend for grading: 'bwrap', or 'none' only when the instructor opted in; else ``NoJail``."""
    reason = unsandboxed_reason()
    if reason is None:
        return "bwrap"
    if os.environ.get("RNNCOURSE_JAIL", "").strip().lower() == "bwrap":
        raise NoJail(f"RNNCOURSE_JAIL=bwrap, but {reason}. {HOW_TO_JAIL}")
    if not allow_unsandboxed:
        raise NoJail(f"Refusing to grade without a jail: {reason}. {HOW_TO_JAIL}")
    return "none"


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


def _bwrap_command(job_dir, probe=False, limits=JailLimits(), seccomp_fd=None):
    cmd = ["bwrap", "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net", "--unshare-ipc",
           "--unshare-uts", "--unshare-cgroup-try"]
    if os.geteuid() == 0:
        # Root: no user namespace, so that the runner can drop to an unprivileged id (below).
        cmd += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        cmd += ["--unshare-user"]
    if seccomp_fd is not None:
        cmd += ["--seccomp", str(seccomp_fd)]
    cmd += _system_binds()
    cmd += ["--perms", "0755", "--dir", SITE]
    for name, path in _numpy_dirs().items():
        cmd += ["--ro-bind", str(path), f"{SITE}/{name}"]
    if not probe:
        cmd += ["--ro-bind", str(job_dir), JOB]
    # /dev comes with a /dev/shm of its own, a memory file system as large as the machine allows:
    # replace it by a small one.
    cmd += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(limits.shm_bytes), "--tmpfs",
            "/dev/shm", "--perms", "1777", "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp",
            "--chdir", "/tmp", "--hostname", "jail"]
    return cmd


# --- the seccomp filter -----------------------------------------------------------------------

# Syscalls a numpy program never needs and a jailed one could use to reach beyond its limits:
# namespaces (a nested user namespace may mount a memory file system no limit counts), mounts,
# anonymous memory files, tracing, kernel keyrings, BPF, io_uring, module and kexec loading.
_DENIED = ("unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount",
           "fspick", "open_tree", "move_mount", "mount_setattr", "memfd_create", "ptrace", "keyctl", "add_key",
           "request_key", "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "kexec_load")
_SYSCALLS = {
    "x86_64": (0xC000003E, {"clone": 56, "clone3": 435, "unshare": 272, "setns": 308, "mount": 165,
                            "umount2": 166, "pivot_root": 155, "chroot": 161, "fsopen": 430, "fsconfig": 431,
                            "fsmount": 432, "fspick": 433, "open_tree": 428, "move_mount": 429,
                            "mount_setattr": 442, "memfd_create": 319, "ptrace": 101, "keyctl": 250,
                            "add_key": 248, "request_key": 249, "bpf": 321, "perf_event_open": 298,
                            "userfaultfd": 323, "io_uring_setup": 425, "kexec_load": 246}),
    "aarch64": (0xC00000B7, {"clone": 220, "clone3": 435, "unshare": 97, "setns": 268, "mount": 40,
                             "umount2": 39, "pivot_root": 41, "chroot": 51, "fsopen": 430, "fsconfig": 431,
                             "fsmount": 432, "fspick": 433, "open_tree": 428, "move_mount": 429,
                             "mount_setattr": 442, "memfd_create": 279, "ptrace": 117, "keyctl": 219,
                             "add_key": 217, "request_key": 218, "bpf": 280, "perf_event_open": 241,
                             "userfaultfd": 282, "io_uring_setup": 425, "kexec_load": 104}),
}
# CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME
_CLONE_NEW = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x80
_EPERM, _ENOSYS = 1, 38
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000


def seccomp_program(machine=None):
    """The classic-BPF seccomp filter for this machine's architecture, as bytes (None if unknown).

    Every denied call fails with EPERM; ``clone`` fails so only when it asks for a new
    namespace; ``clone3`` (whose flags a filter cannot read) fails with ENOSYS, so that
    the C library falls back to ``clone``. Calls of another architecture (32-bit ones on
    a 64-bit kernel) and x32 calls fail with EPERM.
    """
    machine = machine or platform.machine()
    if machine not in _SYSCALLS:
        return None
    arch, numbers = _SYSCALLS[machine]
    ld, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06
    prog = []  # (code, jump-if-true label, jump-if-false label, k)
    prog.append((ld, None, None, 4))  # seccomp_data.arch
    prog.append((jeq, None, "deny", arch))
    prog.append((ld, None, None, 0))  # seccomp_data.nr
    if machine == "x86_64":
        prog.append((jge, "deny", None, 0x40000000))  # the x32 ABI
    for name in _DENIED:
        prog.append((jeq, "deny", None, numbers[name]))
    prog.append((jeq, "clone", None, numbers["clone"]))
    prog.append((jeq, "enosys", None, numbers["clone3"]))
    prog.append((ret, None, None, _RET_ALLOW))
    labels = {"clone": len(prog)}
    prog.append((ld, None, None, 16))  # the low half of args[0]: clone's flags on both architectures
    prog.append((jset, "deny", None, _CLONE_NEW))
    prog.append((ret, None, None, _RET_ALLOW))
    labels["deny"] = len(prog)
    prog.append((ret, None, None, _RET_ERRNO | _EPERM))
    labels["enosys"] = len(prog)
    prog.append((ret, None, None, _RET_ERRNO | _ENOSYS))
    out = b""
    for i, (code, jt, jf, k) in enumerate(prog):
        t = labels[jt] - i - 1 if jt else 0
        f = labels[jf] - i - 1 if jf else 0
        out += struct.pack("=HBBI", code, t, f, k)
    return out


def _seccomp_fd():
    """A readable file descriptor holding the filter, for bwrap's --seccomp (None if none applies)."""
    program = seccomp_program()
    if program is None:
        return None
    fd = os.memfd_create("rnncourse-seccomp") if hasattr(os, "memfd_create") else None
    if fd is None:
        tmp = tempfile.TemporaryFile()
        fd = os.dup(tmp.fileno())
        tmp.close()
    os.write(fd, program)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


# --- the job ---------------------------------------------------------------------------------


# What of rnncourse a student's code may import, in the jail as anywhere: the gradient-checking
# tools and the test helpers (see ``toolkit_files``).
TOOL_MODULES = {"rnncourse", "rnncourse.gradcheck", "rnncourse.grading", "rnncourse.grading.checks"}
TOOL_NAMES = {"rnncourse": {"gradcheck", "grading"}, "rnncourse.gradcheck": {"numerical_gradient", "relative_error"},
              "rnncourse.grading": {"assert_close", "assert_scalar_close", "grade", "examples_of", "forget_test_cell_names",
                                    "checks", "TestFailure"},
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
        "GRADED_CALL = [False]  # set by the jail's runner while it calls a graded function",
        inspect.getsource(gradcheck.numerical_gradient),
        inspect.getsource(gradcheck.relative_error),
    ])
    return {
        "rnncourse/__init__.py": '"""The parts of rnncourse a student may use inside the grader\'s jail."""\n',
        "rnncourse/_validate.py": inspect.getsource(_validate),
        "rnncourse/gradcheck.py": gradcheck_src + "\n",
        "rnncourse/grading/__init__.py": "from . import checks\nfrom .checks import TestFailure, assert_close, "
                                         "assert_scalar_close\n\n\ndef grade(*args, **kwargs):\n    return None\n\n\n"
                                         "def forget_test_cell_names():\n    return None\n\n\n"
                                         "def examples_of(name):\n    import contextlib\n"
                                         "    return contextlib.nullcontext()\n",
        "rnncourse/grading/checks.py": inspect.getsource(checks),
    }




# --- cgroups: one memory, process and CPU budget for the whole jail ------------------------------


class Cgroup:
    """A cgroup of its own for one run of a job, where this machine lets the grader make one.

    cgroup v2 (a delegated or root-owned unified hierarchy) or v1 (the memory, pids and
    cpu controllers); ``create`` returns None where neither can be written (an ordinary
    user without delegation), and the rlimits are then what holds. The memory limit
    counts what the jail keeps in memory file systems (/tmp, /dev/shm) too, which the
    per-process address-space limit does not.
    """

    def __init__(self, version, dirs, limits):
        self.version, self.dirs, self.limits = version, dirs, limits

    @staticmethod
    def _own_paths():
        paths = {}
        try:
            for line in Path("/proc/self/cgroup").read_text().splitlines():
                _, controllers, path = line.split(":", 2)
                for c in controllers.split(",") if controllers else [""]:
                    paths[c] = path
        except (OSError, ValueError):
            pass
        return paths

    @classmethod
    def create(cls, limits, name):
        if os.environ.get("RNNCOURSE_CGROUP", "").strip().lower() == "off":
            return None
        base, own = Path("/sys/fs/cgroup"), cls._own_paths()
        try:
            if (base / "cgroup.controllers").exists() and "" in own:
                return cls._create_v2(base / own[""].lstrip("/"), limits, name)
            dirs = {}
            for controller in ("memory", "pids", "cpu"):
                root = base / controller
                if controller in own and (root / "cgroup.procs").exists():
                    d = root / own[controller].lstrip("/") / name
                    d.mkdir()
                    dirs[controller] = d
            if "memory" not in dirs or "pids" not in dirs:
                cls._remove(list(dirs.values()))
                return None
            (dirs["memory"] / "memory.limit_in_bytes").write_text(str(limits.memory_bytes))
            if (dirs["memory"] / "memory.swappiness").exists():
                try:
                    (dirs["memory"] / "memory.swappiness").write_text("0")
                except OSError:
                    pass
            (dirs["pids"] / "pids.max").write_text(str(limits.processes))
            if "cpu" in dirs:
                try:
                    (dirs["cpu"] / "cpu.cfs_period_us").write_text("100000")
                    (dirs["cpu"] / "cpu.cfs_quota_us").write_text("100000")  # one CPU
                except OSError:
                    cls._remove([dirs.pop("cpu")])
            return cls(1, dirs, limits)
        except OSError:
            return None

    @classmethod
    def _create_v2(cls, parent, limits, name):
        try:
            wanted = {"memory", "pids", "cpu"}
            have = set((parent / "cgroup.subtree_control").read_text().split())
            if not {"memory", "pids"} <= have:
                (parent / "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in wanted - have))
            d = parent / name
            d.mkdir()
        except OSError:
            return None
        try:
            (d / "memory.max").write_text(str(limits.memory_bytes))
            if (d / "memory.swap.max").exists():
                (d / "memory.swap.max").write_text("0")
            (d / "pids.max").write_text(str(limits.processes))
            if (d / "cpu.max").exists():
                (d / "cpu.max").write_text("100000 100000")
        except OSError:
            cls._remove([d])
            return None
        return cls(2, {"memory": d, "pids": d, "cpu": d} if (d / "cpu.max").exists() else {"memory": d, "pids": d},
                   limits)

    def enforced(self):
        what = {"memory": f"cgroup v{self.version}: {self.limits.memory_bytes // 2**20} MiB for the whole jail, "
                          "files in memory included",
                "processes": f"cgroup v{self.version}: {self.limits.processes} for the whole jail"}
        if "cpu" in self.dirs:
            what["cpu"] = f"cgroup v{self.version}: one CPU for the whole jail"
        return what

    def enter(self):
        """Move the calling process (the child, before it runs bwrap) into the cgroup."""
        for d in dict.fromkeys(self.dirs.values()):
            (d / "cgroup.procs").write_text("0" if self.version == 2 else str(os.getpid()))

    def pids(self):
        found = set()
        for d in dict.fromkeys(self.dirs.values()):
            try:
                found |= {int(p) for p in (d / "cgroup.procs").read_text().split()}
            except (OSError, ValueError):
                pass
        return found

    def kill(self):
        """Kill every process in the cgroup, including any that left the jail's process group."""
        if self.version == 2 and (self.dirs["pids"] / "cgroup.kill").exists():
            try:
                (self.dirs["pids"] / "cgroup.kill").write_text("1")
            except OSError:
                pass
        for _ in range(50):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.02)

    def out_of_memory(self):
        """Whether the kernel killed a process of the jail for the cgroup's memory limit."""
        d = self.dirs["memory"]
        for name in ("memory.events", "memory.oom_control"):
            try:
                for line in (d / name).read_text().splitlines():
                    key, _, value = line.partition(" ")
                    if key == "oom_kill" and int(value) > 0:
                        return True
            except (OSError, ValueError):
                continue
        return False

    def peak_bytes(self):
        d = self.dirs["memory"]
        for name in ("memory.max_usage_in_bytes", "memory.peak"):
            try:
                return int((d / name).read_text())
            except (OSError, ValueError):
                continue
        return None

    def close(self):
        self.kill()
        self._remove(list(dict.fromkeys(self.dirs.values())))

    @staticmethod
    def _remove(dirs):
        for d in dirs:
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)


# --- the job ---------------------------------------------------------------------------------


def _write_job(job_dir, cells, limits, uid):
    job = {"cells": cells, "uid": uid, "cell_timeout": limits.cell_timeout, "call_timeout": limits.call_timeout}
    (job_dir / "job.json").write_text(json.dumps(job))
    shutil.copy(jail_runner.__file__, job_dir / "runner.py")
    for rel, src in toolkit_files().items():
        path = job_dir / "site" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(src)
    for path in [job_dir, *job_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def _prepare_child(limits, cpu_seconds, cgroup):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.tmp_bytes, limits.tmp_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
        if os.geteuid() != 0:
            # Counted per user: leave room for the user's own processes.
            own = sum(1 for p in Path("/proc").iterdir() if p.name.isdigit()) if Path("/proc").is_dir() else 0
            resource.setrlimit(resource.RLIMIT_NPROC, (own + limits.processes, own + limits.processes))
        else:
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
        if cgroup is not None:
            cgroup.enter()
    return apply


class _Broken(Exception):
    """The jail gave no valid reply: ``kind`` is timeout, ceiling, crashed, malformed or output."""

    def __init__(self, kind, detail=""):
        super().__init__(kind, detail)
        self.kind, self.detail = kind, detail


class _Session:
    """One run of the jail's process: commands go in one at a time, each reply is checked before use."""

    def __init__(self, job_dir, kind, limits, n_items, budget, ceiling):
        self.limits, self.budget, self.ceiling, self.received = limits, budget, ceiling, 0
        self.cgroup = Cgroup.create(limits, f"rnncourse-jail-{os.getpid()}-{time.monotonic_ns()}")
        self.stderr = tempfile.TemporaryFile()
        cpu_seconds = min(int(limits.cell_timeout + limits.call_timeout * 2 + 10) * max(1, n_items), 3600)
        env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0", "TMPDIR": "/tmp"}
        filter_fd = None
        if kind == "bwrap":
            filter_fd = _seccomp_fd()
            boot = (f"import sys; sys.path[:0] = [{SITE!r}, {JOB + '/site'!r}]; import runpy; "
                    f"runpy.run_path({JOB + '/runner.py'!r}, run_name='__main__')")
            cmd = _bwrap_command(job_dir, limits=limits, seccomp_fd=filter_fd) + [
                _interpreter(), "-S", "-E", "-B", "-c", boot, JOB]
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
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                                         env=env, preexec_fn=_prepare_child(limits, cpu_seconds, self.cgroup),
                                         start_new_session=True, cwd=str(job_dir),
                                         pass_fds=() if filter_fd is None else (filter_fd,))
        finally:
            if filter_fd is not None:
                os.close(filter_fd)
        self.out, self.inp = self.proc.stdout.fileno(), self.proc.stdin.fileno()
        os.set_blocking(self.inp, False)
        self.closed = None

    def _deadline(self, seconds):
        return min(time.monotonic() + seconds, self.ceiling)

    def _expired(self, deadline):
        return _Broken("ceiling" if deadline >= self.ceiling else "timeout")

    def _write(self, data, deadline):
        view = memoryview(data)
        while view:
            wait = deadline - time.monotonic()
            if wait <= 0:
                raise self._expired(deadline)
            _, ready, _ = select.select([], [self.inp], [], min(wait, 1.0))
            if not ready:
                continue
            try:
                n = os.write(self.inp, view[:1 << 16])
            except BlockingIOError:
                continue
            except (BrokenPipeError, OSError):
                raise _Broken("crashed") from None
            view = view[n:]

    def _read(self, n, deadline):
        parts, left = [], n
        while left:
            wait = deadline - time.monotonic()
            if wait <= 0:
                raise self._expired(deadline)
            ready, _, _ = select.select([self.out], [], [], min(wait, 1.0))
            if not ready:
                continue
            chunk = os.read(self.out, min(left, 1 << 20))
            if not chunk:
                raise _Broken("crashed")
            parts.append(chunk)
            left -= len(chunk)
        return b"".join(parts)

    def reply(self, deadline):
        """The next frame, read only within the byte budgets and the deadline, and parsed strictly."""
        (size,) = jail_runner.FRAME_HEADER.unpack(self._read(jail_runner.FRAME_HEADER.size, deadline))
        if size > self.limits.frame_bytes:
            raise _Broken("output", f"a reply of {size} bytes (at most {self.limits.frame_bytes} are read)")
        if self.received + size > self.budget:
            raise _Broken("output", f"more than {self.limits.output_bytes // 2**20} MB in all")
        payload = self._read(size, deadline)
        self.received += size + jail_runner.FRAME_HEADER.size
        try:
            return parse_payload(payload, max_meta=jail_runner.MAX_META)
        except FrameError as err:
            raise _Broken("malformed", str(err)) from None

    def request(self, command, arrays, seconds):
        deadline = self._deadline(seconds + self.limits.grace)
        self._write(pack_frame(command, arrays), deadline)
        return self.reply(deadline)

    def start(self):
        meta, arrays = self.reply(self._deadline(self.limits.startup_timeout))
        if meta != {"event": "ready"} or arrays:
            raise _Broken("malformed", "the first reply was not the runner's")

    def finish(self):
        try:
            self._write(pack_frame({"op": "end"}), self._deadline(2.0))
        except _Broken:
            pass

    def close(self):
        """Stop the process (and everything it started); returns how it ended."""
        if self.closed is not None:
            return self.closed
        try:
            self.proc.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            pass
        out_of_memory = self.cgroup is not None and self.cgroup.out_of_memory()
        if self.cgroup is not None:
            self.cgroup.kill()
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.kill()
        except ProcessLookupError:
            pass
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.stderr.seek(max(0, self.stderr.seek(0, os.SEEK_END) - 2000))
        err = self.stderr.read().decode(errors="replace")
        self.stderr.close()
        self.peak = self.cgroup.peak_bytes() if self.cgroup is not None else None
        if self.cgroup is not None:
            self.cgroup.close()
        code = self.proc.returncode
        ended = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
        if out_of_memory:
            ended += f" (out of memory: the jail's limit of {self.limits.memory_bytes // 2**20} MiB)"
        elif "MemoryError" in err:
            ended += " (out of memory)"
        self.closed = (ended, err)
        return self.closed


_STATUSES = {"cell": {"ok", "error", "timeout"}, "call": {"ok", "error", "timeout", "missing"}}
_FIELDS = {"cell": {"event", "key", "status", "error", "stdout"},
           "call": {"event", "key", "status", "error", "value", "warnings", "modified", "stdout", "seconds"}}


def _text(value, limit):
    return value[:limit] if isinstance(value, str) else ""


def _checked_reply(meta, arrays, event, key):
    """An ``Outcome`` from a reply that must answer (event, key); ``_Broken`` for anything else."""
    if meta.get("event") != event or meta.get("key") != key or not set(meta) <= _FIELDS[event] \
            or meta.get("status") not in _STATUSES[event]:
        raise _Broken("malformed", f"a reply that does not answer {event} {key!r}")
    error = meta.get("error")
    if error is not None:
        lines = error.get("traceback", []) if isinstance(error, dict) else None
        if not isinstance(error, dict) or not isinstance(error.get("ename"), str) \
                or not isinstance(error.get("evalue", ""), str) or not isinstance(lines, list) \
                or not all(isinstance(x, str) for x in lines):
            raise _Broken("malformed", "a reply with a malformed error")
        error = {"ename": error["ename"][:200] or "Error", "evalue": error.get("evalue", "")[:2000],
                 "traceback": [x[:500] for x in lines[:10]]}
    status = meta["status"]
    if status == "error" and error is None:
        error = {"ename": "Error", "evalue": "", "traceback": []}
    for name in ("warnings", "modified"):
        items = meta.get(name, [])
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise _Broken("malformed", f"a reply with malformed {name}")
    seconds = meta.get("seconds", 0.0)
    if type(seconds) not in (int, float):
        raise _Broken("malformed", "a reply with a malformed time")
    if status == "ok" and event == "call":
        value = decode_value(meta.get("value"), dict(arrays))
    else:
        value = None
    return Outcome(status, error, _text(meta.get("stdout"), jail_runner.MAX_TEXT if event == "cell" else 2000),
                   value, [x[:300] for x in meta.get("warnings", [])[:3]], [x[:200] for x in meta.get("modified", [])],
                   float(seconds))


def _describe_end(broken, ended, limits, limit):
    if broken.kind == "timeout":
        # The alarm inside should have stopped it at ``limit``: past the grace it was not listening.
        return f"hung past its {limit:g} s limit (killed by the grader's deadline {limits.grace:g} s later)"
    if broken.kind == "output":
        return f"sent {broken.detail}"
    if broken.kind == "malformed":
        return f"sent a malformed reply ({broken.detail}) and was stopped"
    return f"ended the process ({ended})"


def run_job(cells, calls, limits=JailLimits(), kind=None, on_call=None, names=None):
    """Run a student's cells, then the calls, in a jail; returns a ``JailRun``.

    Inputs:
    - cells: [(notebook cell index, plain Python source)], in notebook order.
    - names: {cell index: the name notes and tracebacks give it}, each starting with "cell";
      by default "cell <index>".
    - calls: [{"id": str, "function": name, "args": dict of keyword arguments,
      "positional": names of the arguments to pass by position, in order (optional)}];
      the arguments may hold arrays, numbers, dicts, lists, tuples and ``GraderFunction``s.
    - limits: a ``JailLimits``.
    - kind: 'bwrap' or 'none'; by default ``backend()``.
    - on_call: if given, ``on_call(call_id, outcome)`` is told of each call's outcome as it
      arrives, and the returned value is not kept (the grader judges it at once).
    """
    kind = kind or backend()
    names = {i: (names or {}).get(i, f"cell {i}") for i, _ in cells}
    start = time.monotonic()
    ceiling = start + limits.submission_timeout
    excluded, cell_out, call_out, notes, general = set(), {}, {}, [], []
    barred = {}  # function -> the outcome of its later calls, once a call of it hung or crashed
    pending = list(calls)
    received, enforced, peaks, hit_ceiling, ran_out = 0, {}, [], False, True

    def record(call, outcome):
        if on_call is not None:
            on_call(call["id"], outcome)
            outcome.value = None
        call_out[call["id"]] = outcome

    for attempt in range(limits.attempts):
        if time.monotonic() >= ceiling:
            hit_ceiling = True
            break
        current = None
        with tempfile.TemporaryDirectory(prefix="rnncourse-jail-") as tmp:
            job_dir = Path(tmp)
            # One unprivileged user id per grading process, so that jails running side by side
            # (two graders at once) never share a process count.
            uid = 100_000 + os.getpid() if (kind == "bwrap" and os.geteuid() == 0) else None
            job_cells = [{"index": i, "name": names[i], "source": s} for i, s in cells if i not in excluded]
            _write_job(job_dir, job_cells, limits, uid)
            session = _Session(job_dir, kind, limits, len(cells) + len(pending), limits.output_bytes - received,
                               ceiling)
            enforced = _enforced(kind, limits, session.cgroup)
            try:
                session.start()
                for index, _ in cells:
                    if index in excluded:
                        continue
                    current = ("cell", index)
                    meta, arrays = session.request({"op": "cell", "index": index}, None, limits.cell_timeout)
                    cell_out[index] = _checked_reply(meta, arrays, "cell", index)
                while pending:
                    call = pending[0]
                    if call["function"] in barred:
                        record(call, Outcome(**barred[call["function"]]))
                        pending.pop(0)
                        continue
                    current = ("call", call["id"])
                    arrays = {}
                    tree = encode_value(call["args"], arrays, hook=_encode_grader_function)
                    # The jail sees a number, not the call's id: nothing in it says which check a
                    # call belongs to, visible or hidden.
                    opaque = f"c{len(call_out)}-{attempt}"
                    command = {"op": "call", "id": opaque, "function": call["function"], "args": tree,
                               "positional": list(call.get("positional", ()))}
                    meta, got = session.request(command, arrays, limits.call_timeout)
                    outcome = _checked_reply(meta, got, "call", opaque)
                    if outcome.status == "timeout":
                        # Skipped, not timed out: each is counted as what happened to it.
                        why = (f"not run: an earlier call of {call['function']} timed out (stopped at its "
                               f"{limits.call_timeout:g} s limit)")
                        barred[call["function"]] = {"status": "skipped",
                                                    "error": {"ename": "NotRun", "evalue": why}}
                    record(call, outcome)
                    pending.pop(0)
                session.finish()
                ran_out = False
            except _Broken as broken:
                ended, err = session.close()
                if broken.kind == "ceiling":
                    hit_ceiling = True
                elif current is None:
                    general.append(f"the jail did not start ({ended}): {err.strip()[-300:]}")
                    notes.append(general[-1])
                    for call in pending:
                        record(call, Outcome("crashed", {"ename": "GradingError",
                                                         "evalue": "the grader's jail did not start"}))
                    pending = []
                    ran_out = False
                else:
                    status = "timeout" if broken.kind == "timeout" else "crashed"
                    if current[0] == "cell":
                        what = _describe_end(broken, ended, limits, limits.cell_timeout)
                        excluded.add(current[1])
                        left_out = {"ename": "CellLeftOut",
                                    "evalue": f"this cell {what}; the notebook was graded without it"}
                        cell_out[current[1]] = Outcome(status, left_out, fault=what)
                        notes.append(f"{names[current[1]]} {what}: graded without it")
                    else:
                        what = _describe_end(broken, ended, limits, limits.call_timeout)
                        call = pending.pop(0)
                        record(call, Outcome(status, {"ename": "Crashed" if status == "crashed" else "Timeout",
                                                      "evalue": f"this call {what}"}, fault=what))
                        notes.append(f"a call of {call['function']} {what}")
                        # A function that brought the process down once is not called again: each
                        # further call would cost a whole run of the job.
                        barred[call["function"]] = {"status": "skipped", "error": {
                            "ename": "NotRun", "evalue": f"not run: an earlier call of {call['function']} {what}"}}
            finally:
                session.close()
                received += session.received
                if session.peak is not None:
                    peaks.append(session.peak)
        if hit_ceiling or not ran_out:
            break
    if hit_ceiling:
        general.append(f"the submission reached its time limit ({limits.submission_timeout:g} s for the "
                       "whole notebook): what had not run by then got nothing")
        notes.append(general[-1])
        for index, _ in cells:
            if index not in cell_out:
                cell_out[index] = Outcome("skipped", {"ename": "NotRun", "evalue": "not run: the submission "
                                                      "reached its time limit"})
        reason = "not run: the submission reached its time limit"
    else:
        reason = "not run: the process failed too often"
    for call in pending:
        if call["id"] not in call_out:
            record(call, Outcome("skipped", {"ename": "NotRun", "evalue": reason}))
    if peaks:
        enforced["peak_memory_bytes"] = max(peaks)
    return JailRun(kind, kind == "bwrap", cell_out, call_out, notes, time.monotonic() - start, enforced,
                   received, general)


def _enforced(kind, limits, cgroup):
    """How each limit holds on this run (for the report and the tests)."""
    what = {"time": f"the grader's deadlines: {limits.cell_timeout:g} s a cell, {limits.call_timeout:g} s a "
                    f"call, {limits.submission_timeout:g} s the notebook",
            "replies": f"{limits.frame_bytes // 2**20} MB a reply, {limits.output_bytes // 2**20} MB in all, "
                       "checked before decoding",
            "memory": f"rlimit: {limits.memory_bytes // 2**20} MiB of address space a process",
            "processes": f"rlimit: {limits.processes} processes of the jail's user",
            "cpu": "rlimit: CPU seconds a process"}
    if kind == "bwrap":
        what["namespaces"] = ("seccomp: no new namespaces or mounts" if seccomp_program() is not None
                              else f"none (no seccomp filter for {platform.machine()})")
        what["files in memory"] = (f"/tmp {limits.tmp_bytes // 2**20} MB, /dev/shm "
                                   f"{limits.shm_bytes // 2**20} MB")
    if cgroup is not None:
        what.update(cgroup.enforced())
    return what
