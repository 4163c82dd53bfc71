"""Grades decided outside the student's kernel.

nbgrader runs a submission's cells, the student's included, in one kernel and
scores each test cell by whether it raised. That kernel is the student's: code
in any cell can rebind ``numpy.testing``, the grading helpers or builtins, or
import the reference implementation, and every later test then passes. So the
course treats nbgrader's scores as provisional and decides each grade here:

1. **Policy.** Only the answer cells (nbgrader "solution" cells, found by their
   ``grade_id``) are taken from the submission; cells a student added, and the
   test cells as submitted, are ignored. Each answer cell is parsed and checked
   against a static policy (``check_policy``): imports of ``numpy`` and ``math``
   only (plus the course's gradient checker, by name, where a task hands it out), no names or attributes that reach the interpreter (``__x__``, ``_x``,
   ``exec``, ``open``, ``getattr``, ``globals``, ...), no assignment to
   attributes (so nothing can be rebound on a module), no class definitions,
   no file I/O through numpy. A cell that breaks the policy is not run; the
   tasks that need it get 0 and the report says which rule and which line.
2. **Isolation.** Every test cell is run in a fresh Python process with a CPU
   time, memory and file-size limit: the instructor's setup cells, then the
   student's answer cells, then the setup cells again (so a student's
   top-level ``np = ...`` or ``assert_close = ...`` is undone), then the
   instructor's test cell, with its hidden tests, from the *source* notebook.
   The result travels back on a pipe that the student's code has no handle to.
   A crash, a time-out or a memory blow-up costs that one cell.
3. **Comparison.** The helpers in ``rnncourse.grading`` accept only exact
   ``numpy.ndarray`` results (no subclasses with a lying ``__eq__``), compare
   copies of the inputs with the reference computed beforehand, and never
   print to stderr, so warnings from correct code cost nothing here.

The verified score of every grade cell replaces nbgrader's in the gradebook,
and each disagreement between the two is reported (``rnncourse.instructor``).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field

__all__ = ["PolicyViolation", "check_policy", "CellResult", "run_test_cell", "ALLOWED_MODULES"]

ALLOWED_MODULES = ("numpy", "math")
# Course tools an assignment may hand to students, by name: `from M import name` only,
# because `import rnncourse.gradcheck` would bind the package and its references too.
ALLOWED_FROM = {"rnncourse.gradcheck": {"numerical_gradient", "relative_error"}}

# Builtins that reach the interpreter, files or other code.
_FORBIDDEN_NAMES = {
    "exec", "eval", "compile", "open", "input", "breakpoint", "help", "exit", "quit",
    "getattr", "setattr", "delattr", "globals", "locals", "vars", "type", "super",
    "object", "classmethod", "staticmethod", "property", "memoryview",
    "__import__", "__builtins__", "__loader__", "__spec__",
}
# numpy attributes that read or write files, load code, or reach numpy's own test helpers.
_FORBIDDEN_ATTRIBUTES = {
    "load", "loadtxt", "genfromtxt", "fromfile", "fromregex", "save", "savez", "savez_compressed",
    "savetxt", "tofile", "dump", "dumps", "memmap", "ctypeslib", "ctypes", "f2py", "distutils",
    "testing", "lib", "DataSource", "show_config", "info", "source", "lookfor", "who", "system",
    "modules", "frame", "f_globals", "f_back", "gi_frame", "cr_frame",
}


@dataclass
class PolicyViolation:
    line: int
    rule: str

    def __str__(self):
        return f"line {self.line}: {self.rule}"


def check_policy(source: str) -> list[PolicyViolation]:
    """The ways in which an answer cell breaks the grading policy (empty if it complies).

    Top level: imports of numpy/math, function definitions, assignments to plain
    names, docstrings and ``pass``. Everywhere: no forbidden names or attributes,
    no name or attribute starting with ``_`` (dunders reach the interpreter), no
    assignment to an attribute, no ``class``, ``global`` or ``nonlocal``.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        return [PolicyViolation(err.lineno or 0, f"syntax error: {err.msg}")]
    found = []

    def flag(node, rule):
        found.append(PolicyViolation(getattr(node, "lineno", 0), rule))

    for node in tree.body:
        ok = isinstance(node, (ast.FunctionDef, ast.Import, ast.ImportFrom, ast.Pass)) or (
            isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets)
        ) or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
        if not ok:
            flag(node, f"only imports, function definitions and constants may stand at the top level "
                       f"of an answer cell, not {type(node).__name__}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in ALLOWED_MODULES:
                    flag(node, f"import of {alias.name!r}: answers may import only numpy and math")
        elif isinstance(node, ast.ImportFrom):
            tools = ALLOWED_FROM.get(node.module or "")
            if tools is not None and not node.level:
                extra = [a.name for a in node.names if a.name not in tools]
                if extra:
                    flag(node, f"import of {extra} from {node.module!r}: only {sorted(tools)} may be imported")
            elif node.level or (node.module or "").split(".")[0] not in ALLOWED_MODULES:
                flag(node, f"import from {node.module!r}: answers may import only numpy and math")
        elif isinstance(node, ast.Name):
            if node.id in _FORBIDDEN_NAMES:
                flag(node, f"use of {node.id!r} is not allowed in an answer")
            elif node.id.startswith("__"):
                flag(node, f"name {node.id!r}: names starting with '__' are not allowed")
        elif isinstance(node, ast.Attribute):
            if node.attr.startswith("_"):
                flag(node, f"attribute {node.attr!r}: attributes starting with '_' are not allowed")
            elif node.attr in _FORBIDDEN_ATTRIBUTES:
                flag(node, f"attribute {node.attr!r} (files, code loading or test helpers) is not allowed")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Attribute) and isinstance(sub.ctx, (ast.Store, ast.Del)):
                        flag(node, "assignment to an attribute is not allowed (compute new arrays instead)")
                        break
        elif isinstance(node, (ast.ClassDef, ast.Global, ast.Nonlocal, ast.AsyncFunctionDef, ast.Await,
                               ast.Yield, ast.YieldFrom)):
            flag(node, f"{type(node).__name__} is not allowed in an answer")
        elif isinstance(node, ast.arg) and node.arg.startswith("__"):
            flag(node, f"argument {node.arg!r}: names starting with '__' are not allowed")
    return sorted(found, key=lambda v: v.line)


@dataclass
class CellResult:
    """What happened when one test cell ran in isolation."""

    passed: bool
    status: str  # "passed", "failed", "error" (the harness or the child failed), "timeout", "crashed"
    message: str = ""
    output: str = ""
    extra: dict = field(default_factory=dict)


# The child: limits first, then the instructor's setup, the student's answers,
# the setup again, the test. Its verdict goes to a pipe that the student code
# cannot name (os and sys are out of its reach by the policy).
_CHILD = r'''
import io, json, os, resource, sys, traceback, warnings
result_fd = int(sys.argv[1])
limits = json.loads(sys.argv[2])
resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu"], limits["cpu"] + 1))
resource.setrlimit(resource.RLIMIT_AS, (limits["memory"], limits["memory"]))
resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
job = json.loads(sys.stdin.read())
write = os.write
dumps = json.dumps

class Capped(io.StringIO):
    def write(self, s):
        if self.tell() < 20000:
            super().write(s[: 20000 - self.tell()])
        return len(s)

out = Capped()
sys.stdout = sys.stderr = out
warnings.simplefilter("ignore")
ns = {"__name__": "__main__"}

def verdict(status, message=""):
    write(result_fd, dumps({"status": status, "message": message[-4000:], "output": out.getvalue()[-4000:]}).encode())
    os._exit(0)

try:
    for src in job["setup"]:
        exec(compile(src, "<setup>", "exec"), ns)
except BaseException:
    verdict("error", "setup failed:\n" + traceback.format_exc())
answer_errors = []
for grade_id, src in job["answers"]:
    try:
        exec(compile(src, f"<answer {grade_id}>", "exec"), ns)
    except BaseException as err:
        answer_errors.append(f"{grade_id}: {type(err).__name__}: {err}")
for src in job["setup"]:
    exec(compile(src, "<setup>", "exec"), ns)
try:
    exec(compile(job["test"], "<test>", "exec"), ns)
except BaseException as err:
    msg = f"{type(err).__name__}: {err}"
    if answer_errors:
        msg += "\n(answer cells that raised when defined: " + "; ".join(answer_errors) + ")"
    verdict("failed", msg)
verdict("passed")
'''


def run_test_cell(setup, answers, test, timeout=30.0, memory_bytes=2 * 1024**3) -> CellResult:
    """Run one test cell in a fresh, limited Python process.

    Inputs:
    - setup: sources of the instructor's setup cells, in notebook order.
    - answers: (grade_id, source) of the student's answer cells that passed the policy.
    - test: source of the instructor's test cell (hidden tests included).
    - timeout: wall-clock seconds before the process is killed (CPU time is limited too).
    - memory_bytes: address-space limit of the process.

    Returns:
    - CellResult; ``passed`` is True only if the test cell ran to its end.
    """
    read_fd, write_fd = os.pipe()
    limits = {"cpu": int(timeout) + 1, "memory": int(memory_bytes)}
    job = json.dumps({"setup": list(setup), "answers": [list(a) for a in answers], "test": test})
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
    env.update(MPLBACKEND="Agg", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONDONTWRITEBYTECODE="1")
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-c", _CHILD, str(write_fd), json.dumps(limits)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            pass_fds=(write_fd,), env=env,
        )
    finally:
        os.close(write_fd)
    try:
        _, err = proc.communicate(job.encode(), timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        os.close(read_fd)
        return CellResult(False, "timeout", f"the test did not finish within {timeout:.0f} s (an endless loop?)")
    with os.fdopen(read_fd, "rb") as pipe:
        raw = pipe.read()
    if not raw:
        tail = err.decode(errors="replace")[-1500:] if err else ""
        how = f"exit code {proc.returncode}" if proc.returncode >= 0 else f"signal {-proc.returncode}"
        hint = " (memory limit?)" if "MemoryError" in tail else ""
        return CellResult(False, "crashed", f"the process ended without a verdict ({how}){hint}. {tail}".strip())
    data = json.loads(raw.decode())
    return CellResult(data["status"] == "passed", data["status"], data["message"], data["output"])
