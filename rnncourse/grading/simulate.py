"""Simulated submissions, generated from an assignment's release and source notebooks.

The same set serves the test suite and ``make demo``, and grows with the course:
every kind is built from whatever answer cells and tests an assignment has.

Each kind says what a grader must give it (``expected``):
``"full"``, ``"zero"``, ``"partial"`` or ``"all but last task"``, in points computed from the
source notebook, and whether the instructor's report must mention it.
"""

from __future__ import annotations

import ast
import copy
import inspect
import textwrap
import warnings
from dataclasses import dataclass

from pathlib import Path

import nbformat
import numpy as np

from .notebooks import meta as _meta

SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"


@dataclass(frozen=True)
class Kind:
    name: str
    description: str
    expected: str  # "full", "zero", "partial" (first half of the answers), "all but last task", "visible only"
    reported: bool  # must the instructor's report have a line for it?
    preflight: bool = False  # does grading it need the course's preflight (mending files nbgrader cannot read)?


KINDS = [
    Kind("correct", "every answer right", "full", False),
    Kind("student_style", "every answer right, written with helper functions, standard-library imports, prints, "
         "a plot, an IPython magic and extra cells", "full", False),
    Kind("warnings", "every answer right, but each call writes a RuntimeWarning to stderr", "full", False),
    Kind("partial", "the first half of the answers right, the rest left as stubs", "partial", False),
    Kind("empty", "the release as handed out", "zero", False),
    Kind("import_reference", "answers import the functions from rnncourse", "zero", True),
    Kind("wrap_reference", "answers call rnncourse's functions inside their own", "zero", True),
    Kind("reach_interpreter", "answers reach __import__ through a module numpy imports and load rnncourse with it",
         "zero", False),
    Kind("read_repository", "answers put the grading machine's copy of the course on sys.path and import it",
         "zero", True),
    Kind("precomputed", "answers return the reference's outputs for the public cases, computed in advance, "
         "and raise otherwise", "visible only", False),
    Kind("patch_helpers", "an extra cell turns the grading helpers and numpy.testing into no-ops", "zero", False),
    Kind("patch_in_answer", "an answer rebinds the grading helpers and builtins at definition time", "zero", False),
    Kind("lying_object", "answers return an ndarray subclass whose comparisons always succeed", "zero", False),
    Kind("edit_tests", "test cells replaced by 'pass' and their points raised to 100", "zero", False),
    Kind("delete_tests", "every test cell deleted", "zero", False),
    Kind("retyped_tests", "every answer right, every test cell turned into a Markdown cell", "full", False),
    Kind("detect_grading", "answers return the reference when they find they are being graded", "zero", True),
    Kind("endless_loop", "the last answer never returns; the others are right", "all but last task", True),
    Kind("ignore_alarm", "the last answer ignores the grader's alarm signal and never returns; the others are right",
         "all but last task", True),
    Kind("memory_hog", "the last answer allocates hundreds of GiB; the others are right", "all but last task", True),
    Kind("feed_watchdog", "the last answer ignores the alarm and writes frames like the runner's to every channel, "
         "forever; the others are right", "all but last task", True),
    Kind("frame_bomb", "every answer right, plus a cell that sends the grader a reply claiming 1 TB", "full", True),
    Kind("malformed_frame", "every answer right, plus a cell that sends a reply with a list where a dict belongs",
         "full", True),
    Kind("nested_namespace", "every answer right, plus a cell that makes a user namespace, mounts a memory file "
         "system in it and fills it with 2 GB", "full", False),
    Kind("replay_hidden", "answers return the reference's outputs for the public cases and for the hidden cases of "
         "an earlier grading, and raise otherwise", "visible only", False),
    Kind("renamed_parameters", "every answer right, every parameter of every graded function renamed", "full",
         False),
    Kind("cell_magics", "every answer right, every answer cell timed with %%time", "full", False),
    Kind("fork_bomb", "every answer right, plus a cell that forks until it cannot", "full", False),
    Kind("network", "every answer right, plus a cell that opens network connections", "full", False),
    Kind("kernel_exit", "every answer right, then a cell kills the interpreter with os._exit", "full", True),
    Kind("segfault", "every answer right, then a cell crashes the interpreter", "full", True),
    Kind("huge_output", "every answer right, plus a cell printing 20 MB", "full", False),
    Kind("jupyterlite", "every answer right, saved by JupyterLite (kernel 'python', Pyodide)", "full", False),
    Kind("vscode", "every answer right, saved by VS Code (kernel named after the student's venv)", "full", False),
    Kind("colab", "every answer right, saved by Colab (nbformat 4.0 without cell ids, Colab metadata)", "full", False),
    Kind("invalid_json", "the notebook file is cut off in the middle", "zero", True, True),
    Kind("missing_notebook", "no notebook, only a stray text file", "zero", True, True),
    Kind("renamed_notebook", "every answer right, saved as '<name> (1).ipynb'", "full", True, True),
    Kind("extra_notebook", "every answer right, plus an extra notebook", "full", True, True),
    Kind("duplicated_cells", "every answer right, plus a copy of the first answer cell (same ids)", "full", True, True),
]
UNKNOWN_STUDENT = "stranger"  # the `correct` submission is also handed in under this unlisted id
EARLIER_NONCE = "an earlier grading"  # the replay_hidden kind knows the hidden cases graded with this nonce


def _solution(source):
    return "\n".join(ln for ln in source.splitlines() if ln.strip() not in (SOLUTION_BEGIN, SOLUTION_END))


def _functions(source):
    return [n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]


def _signature_line(source, name):
    for line in source.splitlines():
        if line.startswith(f"def {name}("):
            return line
    raise ValueError(f"no def {name} in answer")


_REPOSITORY = Path(__file__).resolve().parents[2]  # the grading machine's copy of the course


def _call_args(signature_line):
    params = signature_line[signature_line.index("(") + 1: signature_line.rindex(")")]
    return ", ".join(p.split("=")[0].strip() for p in params.split(",") if p.strip())


def _literal(value):
    """Python source that rebuilds ``value`` (arrays, numbers, tuples, lists, dicts)."""
    if isinstance(value, np.ndarray) and value.size > 4096 and value.dtype.kind in "fiu":
        # The outputs of a realistic-size case hold millions of numbers: as a list literal they take
        # longer to compile than a cell may run. Their bytes in base64 (standard library) load at once.
        import base64

        data = base64.b64encode(np.ascontiguousarray(value).tobytes()).decode("ascii")
        return (f"np.frombuffer(__import__('base64').b64decode({data!r}), dtype={str(value.dtype)!r})"
                f".reshape({value.shape!r}).copy()")
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r}, dtype={str(value.dtype)!r})"
    if isinstance(value, tuple):
        return "(" + "".join(_literal(v) + ", " for v in value) + ")"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, float) and not np.isfinite(value):
        return f"float({repr(value)!r})"
    return repr(value)


_KEY_SOURCE = """
import hashlib
import numpy as np


def _key(value):
    h = hashlib.sha256()

    def feed(v):
        if isinstance(v, np.ndarray):
            h.update(str(v.shape).encode() + v.tobytes())
        elif isinstance(v, dict):
            for k in sorted(v):
                h.update(k.encode())
                feed(v[k])
        elif isinstance(v, (int, float)):
            h.update(repr(v).encode())
    feed(value)
    return h.hexdigest()
"""


def _precomputed_answer(solution_source, earlier=None):
    """An answer that knows the reference's outputs for the public (visible) cases and nothing else.

    ``earlier``: (secret, assignment, student, notebook, grade ids, nonce) of an earlier
    grading, whose hidden cases the answer knows too, as a first submission could have
    learnt them (and as a grader whose hidden seeds never change would draw them again).
    """
    from . import spec, verify
    from .chapters import TASKS, find

    namespace = {"np": np}
    exec(compile(_KEY_SOURCE, "<key>", "exec"), namespace)
    lines = [_KEY_SOURCE]
    for fn in _functions(solution_source):
        task = TASKS[fn]
        table = {}
        probes = list(spec.plan(task, "visible", spec.public_seed(fn)))
        if earlier is not None:
            secret, assignment, student, notebook, grade_ids, nonce = earlier
            for grade_id in grade_ids:
                owner, check = find(grade_id)
                if owner is task and check != "visible":
                    seed = verify.seed_for(secret, assignment, student, notebook, grade_id, nonce)
                    probes += spec.plan(task, check, seed)
        for probe in probes:
            bound = inspect.signature(task.reference).bind(**probe.kwargs)
            bound.apply_defaults()  # the answer sees its defaults among its arguments
            kwargs = {k: v for k, v in bound.arguments.items() if not callable(v) and not hasattr(v, "materialise")}
            table[namespace["_key"](kwargs)] = task.reference(**spec._callable_args(probe.kwargs))
        sig = _signature_line(solution_source, fn)
        lines += [f"_TABLE_{fn} = {{" + ", ".join(f"{k!r}: lambda: {_literal(v)}" for k, v in table.items()) + "}",
                  sig,
                  f"    args = dict({', '.join(f'{a}={a}' for a in _call_args(sig).split(', ') if a)})",
                  "    key = _key({k: v for k, v in args.items() if not callable(v)})",
                  f"    if key in _TABLE_{fn}:",
                  f"        return _TABLE_{fn}[key]()",
                  "    raise NotImplementedError()", ""]
    return "\n".join(lines)


def expected_points(kind: Kind, source_nb) -> float:
    """Points the kind must get, from the source notebook's grade cells and answer order."""
    answers, owner, points = [], {}, {}
    current = None
    for cell in source_nb.cells:
        m = _meta(cell)
        if m.get("solution"):
            current = m["grade_id"]
            answers.append(current)
        elif m.get("grade"):
            owner[m["grade_id"]] = current
            points[m["grade_id"]] = float(m.get("points", 0))
    total = sum(points.values())
    if kind.expected == "full":
        return total
    if kind.expected == "zero":
        return 0.0
    if kind.expected == "partial":
        solved = set(answers[: len(answers) // 2])
        return sum(p for g, p in points.items() if owner[g] in solved)
    if kind.expected == "all but last task":
        return sum(p for g, p in points.items() if owner[g] != answers[-1])
    if kind.expected == "visible only":
        return sum(p for g, p in points.items() if g.endswith("_visible"))
    raise ValueError(kind.expected)


def _code_cell(source):
    return nbformat.v4.new_code_cell(textwrap.dedent(source).strip())


def _renamed_parameters(source):
    """The answer with every parameter of its graded functions renamed (the body still uses the old names)."""
    out = source
    for fn in _functions(source):
        sig = _signature_line(source, fn)
        params = [p.strip() for p in sig[sig.index("(") + 1: sig.rindex(")")].split(",") if p.strip()]
        new = [f"arg{i}_" + p.split("=")[0].strip() + ("=" + p.split("=", 1)[1] if "=" in p else "")
               for i, p in enumerate(params)]
        out = out.replace(f"def {fn}(", f"def _{fn}_named(", 1)
        out += (f"\n\n\ndef {fn}({', '.join(new)}):\n    return _{fn}_named("
                + ", ".join(f"arg{i}_" + p.split("=")[0].strip() for i, p in enumerate(params)) + ")\n")
    return out


_WRITE_TO_CHANNELS = """
import os, struct, json
def _to_channels(data):
    for fd in sorted(int(n) for n in os.listdir("/proc/self/fd")):
        if fd > 2:
            try:
                os.write(fd, data)
            except OSError:
                pass
def _frame(meta):
    doc = json.dumps({"m": meta, "a": []}).encode()
    body = struct.pack(">I", len(doc)) + doc
    return struct.pack(">Q", len(body)) + body
"""


def build(kind: Kind, release_nb, source_nb, filename: str, earlier=None) -> dict:
    """The files of one submission, {filename: text}, for the notebook ``name`` of an assignment.

    ``earlier``: for ``replay_hidden``, (secret, assignment, student, nonce) of an earlier grading.
    """
    nb = copy.deepcopy(release_nb)
    answers = {_meta(c)["grade_id"]: _solution(c.source) for c in source_nb.cells if _meta(c).get("solution")}
    order = list(answers)
    answer_cells = [c for c in nb.cells if _meta(c).get("solution")]
    test_cells = [c for c in nb.cells if _meta(c).get("grade")]

    def fill(which=None):
        for cell in answer_cells:
            gid = _meta(cell)["grade_id"]
            if which is None or gid in which:
                cell.source = answers[gid]

    def insert_after_setup(source):
        first_answer = nb.cells.index(answer_cells[0])
        nb.cells.insert(first_answer, _code_cell(source))

    k = kind.name
    if k in ("correct", "huge_output", "renamed_notebook", "extra_notebook", "kernel_exit", "segfault",
             "duplicated_cells", "retyped_tests", "fork_bomb", "network", "jupyterlite", "vscode", "colab",
             "frame_bomb", "malformed_frame", "nested_namespace"):
        fill()
    if k == "jupyterlite":
        nb.metadata["kernelspec"] = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
        nb.metadata["language_info"] = {"name": "python", "version": "3.12.1", "mimetype": "text/x-python"}
    elif k == "vscode":
        nb.metadata["kernelspec"] = {"name": ".venv", "display_name": ".venv (Python 3.11.7)", "language": "python"}
        nb.metadata["vscode"] = {"interpreter": {"hash": "0" * 64}}
    elif k == "colab":
        nb.metadata = {"colab": {"provenance": []}, "kernelspec": {"name": "python3", "display_name": "Python 3"},
                       "language_info": {"name": "python"}}
        nb.nbformat_minor = 0
        for cell in nb.cells:
            cell.pop("id", None)
            cell.metadata["id"] = "c" + str(abs(hash(cell.source)) % 10**8)  # Colab keeps its ids in metadata
    if k == "warnings":
        for cell in answer_cells:
            src = answers[_meta(cell)["grade_id"]]
            tree_funcs = _functions(src)
            for fn in tree_funcs:
                sig = _signature_line(src, fn)
                # overflow in exp: numpy prints a RuntimeWarning on stderr; the answer stays right
                src = src.replace(sig, sig + "\n    np.exp(np.array([1000.0]))", 1)
            cell.source = "import numpy as np\n" + src
    elif k == "student_style":
        for cell in answer_cells:
            src = answers[_meta(cell)["grade_id"]]
            for fn in _functions(src):
                # the real work moves into a helper; the graded function delegates to it
                src = src.replace(f"def {fn}(", f"def _{fn}_impl(", 1)
                src += f"\n\n\ndef {fn}(*args, **kwargs):\n    return _{fn}_impl(*args, **kwargs)\n"
            cell.source = ("import itertools\nimport math\n\nimport numpy as np\n\n"
                           f"print('defining {_meta(cell)['grade_id']}')\n\n" + src)
        insert_after_setup("""
            %matplotlib inline
            import matplotlib.pyplot as plt
            from collections import Counter

            def describe(x):
                return f"{type(x).__name__} of shape {getattr(x, 'shape', None)}"

            plt.plot([0, 1, 4, 9])
            plt.title("trying things out")
            plt.show()
            print(describe(np.zeros((2, 3))), Counter("hello"))
        """)
    elif k == "reach_interpreter":
        for cell in answer_cells:
            src = answers[_meta(cell)["grade_id"]]
            lines = ["import numpy as np",
                     "_b = np.lib.format.__builtins__",
                     "_import = _b['__import__'] if isinstance(_b, dict) else _b.__import__",
                     "_reference = _import('rnncourse')"]
            for fn in _functions(src):
                sig = _signature_line(src, fn)
                lines += [sig, f"    return getattr(_reference, {fn!r})({_call_args(sig)})", ""]
            cell.source = "\n".join(lines)
    elif k == "read_repository":
        for cell in answer_cells:
            fns = _functions(answers[_meta(cell)["grade_id"]])
            cell.source = f"import sys\nsys.path.insert(0, {str(_REPOSITORY)!r})\nfrom rnncourse import {', '.join(fns)}"
    elif k == "precomputed":
        for cell in answer_cells:
            src = answers[_meta(cell)["grade_id"]]
            cell.source = _precomputed_answer(src)
    elif k == "replay_hidden":
        secret, assignment, student, nonce = earlier
        grade_ids = [_meta(c)["grade_id"] for c in test_cells]
        for cell in answer_cells:
            src = answers[_meta(cell)["grade_id"]]
            cell.source = _precomputed_answer(src, (secret, assignment, student, filename.removesuffix(".ipynb"),
                                                    grade_ids, nonce))
    elif k == "renamed_parameters":
        for cell in answer_cells:
            cell.source = _renamed_parameters(answers[_meta(cell)["grade_id"]])
    elif k == "cell_magics":
        for cell in answer_cells:
            cell.source = "%%time\n" + answers[_meta(cell)["grade_id"]]
    elif k == "partial":
        fill(set(order[: len(order) // 2]))
    elif k == "import_reference":
        for cell in answer_cells:
            fns = _functions(answers[_meta(cell)["grade_id"]])
            cell.source = f"from rnncourse import {', '.join(fns)}"
    elif k == "wrap_reference":
        for cell in answer_cells:
            src = answers[_meta(cell)["grade_id"]]
            lines = ["import rnncourse"]
            for fn in _functions(src):
                sig = _signature_line(src, fn)
                params = sig[sig.index("(") + 1: sig.rindex(")")]
                call = ", ".join(p.split("=")[0].strip() for p in params.split(",") if p.strip())
                lines += [sig, f"    return rnncourse.{fn}({call})", ""]
            cell.source = "\n".join(lines)
    elif k == "patch_helpers":
        insert_after_setup("""
            import numpy, numpy.testing, rnncourse.grading as g
            def _ok(*args, **kwargs):
                return None
            g.check_against_reference = g.assert_close = g.assert_scalar_close = _ok
            for attr in dir(g):
                if attr.startswith("check") or attr.startswith("assert"):
                    setattr(g, attr, _ok)
            numpy.testing.assert_allclose = numpy.allclose = _ok
            assert_close = assert_scalar_close = _ok
        """)
    elif k == "patch_in_answer":
        first = answer_cells[0]
        first.source = textwrap.dedent("""
            import builtins, rnncourse.grading as g
            g.check_against_reference = g.assert_close = g.assert_scalar_close = lambda *a, **k: None
            for attr in dir(g):
                if attr.startswith(("check", "assert")):
                    setattr(g, attr, lambda *a, **k: None)
            builtins.AssertionError = type("Nothing", (Exception,), {})
        """).strip() + "\n" + "\n".join(
            f"def {fn}(*args, **kwargs):\n    return None\n" for fn in _functions(answers[_meta(first)["grade_id"]]))
    elif k == "lying_object":
        helper = textwrap.dedent("""
            import numpy as np
            class Agreeable(np.ndarray):
                def __eq__(self, other):
                    return True
                def __ne__(self, other):
                    return False
                def __sub__(self, other):
                    return np.zeros(np.shape(other))
                __rsub__ = __sub__
        """).strip()
        for cell in answer_cells:
            src = answers[_meta(cell)["grade_id"]]
            out = [helper]
            for fn in _functions(src):
                out += [_signature_line(src, fn), "    return np.zeros((1, 1)).view(Agreeable)", ""]
            cell.source = "\n".join(out)
    elif k == "edit_tests":
        for cell in test_cells:
            cell.source = "pass"
            cell.metadata["nbgrader"]["points"] = 100
    elif k == "delete_tests":
        nb.cells = [c for c in nb.cells if not _meta(c).get("grade")]
    elif k == "retyped_tests":
        for i, cell in enumerate(nb.cells):
            if _meta(cell).get("grade"):
                nb.cells[i] = nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata)
    elif k == "detect_grading":
        for cell in answer_cells:
            src = answers[_meta(cell)["grade_id"]]
            lines = []
            for fn in _functions(src):
                sig = _signature_line(src, fn)
                params = sig[sig.index("(") + 1: sig.rindex(")")]
                call = ", ".join(p.split("=")[0].strip() for p in params.split(",") if p.strip())
                lines += [sig,
                          "    import os, rnncourse",
                          "    # nbgrader runs the notebook inside autograded/<student>/...",
                          "    if 'autograded' in os.getcwd():",
                          f"        return rnncourse.{fn}({call})",
                          "    raise NotImplementedError()", ""]
            cell.source = "\n".join(lines)
    elif k in ("endless_loop", "memory_hog", "ignore_alarm", "feed_watchdog"):
        fill()
        last = answer_cells[-1]  # nothing calls the last answer, so only its own tests suffer
        src = answers[_meta(last)["grade_id"]]
        body = {"endless_loop": "    while True:\n        pass",
                "ignore_alarm": "    import signal\n    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
                                "    while True:\n        pass",
                "memory_hog": "    import numpy as np\n    return np.ones((1_000_000, 100_000))",
                # the old watchdog's deadline was reset by every frame that said an item had begun
                "feed_watchdog": "    import signal, time\n    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
                                 "    while True:\n        _to_channels(_frame({'event': 'begin', 'kind': 'call', "
                                 "'key': 'x'}))\n        time.sleep(0.5)"}[k]
        last.source = "\n".join(f"{_signature_line(src, fn)}\n{body}\n" for fn in _functions(src))
        if k == "feed_watchdog":
            last.source = _WRITE_TO_CHANNELS + "\n" + last.source
    if k == "fork_bomb":
        nb.cells.append(_code_cell("import os\nfor _ in range(100_000):\n    os.fork()"))
    elif k == "network":
        nb.cells.append(_code_cell("""
            import socket
            for address in [("127.0.0.1", 22), ("1.1.1.1", 53), ("pypi.org", 443)]:
                try:
                    socket.create_connection(address, timeout=2).close()
                    print("connected to", address)
                except OSError as err:
                    print("no connection to", address, err)
        """))
    if k == "kernel_exit":
        nb.cells.append(_code_cell("import os\nos._exit(1)"))
    elif k == "segfault":
        nb.cells.append(_code_cell("import ctypes\nctypes.string_at(0)"))
    elif k == "huge_output":
        nb.cells.append(_code_cell("print('x' * 20_000_000)"))
    elif k == "frame_bomb":
        # The old grader inflated deflated archive members: 1 MB on the wire, gigabytes in memory.
        nb.cells.append(_code_cell(_WRITE_TO_CHANNELS + "_to_channels(struct.pack('>Q', 2**40) + bytes(1 << 20))\n"
                                   "import time\ntime.sleep(60)"))
    elif k == "malformed_frame":
        nb.cells.append(_code_cell(_WRITE_TO_CHANNELS + "_to_channels(_frame({'event': 'cell', 'key': 0, 'status': "
                                   "'ok', 'error': ['not', 'a', 'dict'], 'stdout': ''}))\nimport time\n"
                                   "time.sleep(60)"))
    elif k == "nested_namespace":
        nb.cells.append(_code_cell("""
            import ctypes, subprocess
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.unshare(0x10000000 | 0x00020000) == 0:  # a user namespace with its own mounts
                libc.mount(b"none", b"/tmp", b"tmpfs", 0, b"size=4g")
                with open("/tmp/fill", "wb") as f:
                    for _ in range(2048):
                        f.write(bytes(1 << 20))
            fill = "mount -t tmpfs -o size=4g none /tmp && head -c 2G /dev/zero > /tmp/fill && sleep 3600"
            print(subprocess.run(["unshare", "-Urm", "sh", "-c", fill], capture_output=True).returncode)
        """))
    elif k == "duplicated_cells":
        nb.cells.insert(nb.cells.index(answer_cells[0]) + 1, copy.deepcopy(answer_cells[0]))

    text = nbformat.writes(nb)
    if k == "invalid_json":
        return {filename: text[: len(text) // 2]}
    if k == "missing_notebook":
        return {"notes.txt": "I could not find the notebook, sorry.\n"}
    if k == "renamed_notebook":
        return {filename.replace(".ipynb", " (1).ipynb"): text}
    if k == "extra_notebook":
        scratch = nbformat.v4.new_notebook(cells=[_code_cell("1 + 1")])
        return {filename: text, "scratch.ipynb": nbformat.writes(scratch)}
    return {filename: text}


def write_submissions(course_root, assignment, release_dir, source_dir, kinds=KINDS, unknown_student=True):
    """Write one submission per kind to submitted/<kind>/<assignment>/. Returns {student: Kind}.

    The ``replay_hidden`` kind reads the course's grading secret (``course_root``'s), as a
    student who had seen the hidden inputs of an earlier grading would know them.
    """
    from pathlib import Path

    from .verify import course_secret

    course_root = Path(course_root)
    students = {}
    notebooks = sorted(Path(source_dir).glob("*.ipynb"))
    for kind in kinds:
        folder = course_root / "submitted" / kind.name.replace("_", "-") / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for src_path in notebooks:
            source_nb = nbformat.read(str(src_path), as_version=4)
            release_nb = nbformat.read(str(Path(release_dir) / src_path.name), as_version=4)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the duplicated-cells kind repeats a cell id on purpose
                earlier = None
                if kind.name == "replay_hidden":
                    earlier = (course_secret(course_root), assignment, kind.name.replace("_", "-"), EARLIER_NONCE)
                files = build(kind, release_nb, source_nb, src_path.name, earlier)
            for fname, text in files.items():
                (folder / fname).write_text(text)
        students[kind.name.replace("_", "-")] = kind
    if unknown_student:
        src = course_root / "submitted" / "correct" / assignment
        dst = course_root / "submitted" / UNKNOWN_STUDENT / assignment
        dst.mkdir(parents=True, exist_ok=True)
        for f in src.iterdir():
            (dst / f.name).write_bytes(f.read_bytes())
        students[UNKNOWN_STUDENT] = Kind("unknown_student", "a correct submission from an id not in the gradebook",
                                         "full", True, True)
    return students


__all__ = ["Kind", "KINDS", "UNKNOWN_STUDENT", "build", "expected_points", "write_submissions"]
