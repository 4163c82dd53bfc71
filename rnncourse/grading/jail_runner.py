"""What runs inside the jail: a student's notebook code, then calls of their functions.

This file is copied into the jail and run there by a bare interpreter that sees
numpy and the standard library only. It must therefore import nothing else. The
trusted parent (``rnncourse.grading.jail``) imports it too, for the wire format
(``encode_value``/``decode_value``, ``pack_frame``, ``parse_payload``), so that
both sides speak exactly one format.

Nothing that comes out of the jail is trusted. Messages travel as *frames*: an
8-byte length, then a 4-byte length and a JSON document, then the raw bytes of
the arrays the document declares (name, dtype, shape), back to back. No archive,
no compression and no pickle: what a frame decodes to is never larger than the
frame, so the parent can bound its own memory by counting bytes before it reads
them, and every field is checked by ``parse_payload`` before anything is built.

The parent drives the conversation; the jail only answers:

- the job (``/job/job.json``): the notebook's code cells that are not test cells,
  already turned into plain Python (IPython magics become calls of
  ``get_ipython()``), the user id to drop to when the jail starts as root, and the
  cell and call time limits (an alarm inside, for a clean timeout; the parent
  enforces its own deadline outside, which nothing in here can move);
- on stdin, one command at a time: ``{"op": "cell", "index": i}``,
  ``{"op": "call", "id": k, "function": name, "args": tree, "positional": [...]}``
  (the call's inputs travel with the command, so the jail never holds a call
  before it is made), or ``{"op": "end"}``;
- on the result channel (the stdout the process started with; the student's
  code sees /dev/null), exactly one reply per command: ``{"event": "ready"}``
  once at the start, then ``{"event": "cell"|"call", "key": ..., ...}``.
"""

from __future__ import annotations

import io
import json
import os
import struct
import sys
import time
import traceback

import numpy as np

MAX_TEXT = 20_000  # characters of printed output kept per cell or call
MAX_DEPTH = 12
MAX_META = 4 * 2**20  # bytes of a frame's JSON document
FRAME_HEADER = struct.Struct(">Q")
META_HEADER = struct.Struct(">I")
# The array types that may cross, little-endian or byte-sized: numbers and booleans only.
DTYPES = frozenset(np.dtype(t).str for t in ("?", "i1", "u1", "<i2", "<u2", "<i4", "<u4", "<i8", "<u8",
                                              "<f2", "<f4", "<f8", "<c8", "<c16"))


class FrameError(ValueError):
    """A frame that does not follow the wire format (from a student's code, or cut short)."""


class Unsendable:
    """A value that could not be sent as plain data; ``what`` says what it was (parent side)."""

    def __init__(self, what):
        self.what = str(what)[:200]

    def __repr__(self):
        return f"<{self.what}>"


def encode_value(value, arrays, depth=0, hook=None):
    """A JSON-able tree for ``value``; arrays go into the dict ``arrays`` and are named in the tree.

    ``hook(value, arrays)``, if given, may encode values of its own kinds (the parent's
    grader-written functions); it returns None for everything else.
    """
    if hook is not None:
        special = hook(value, arrays)
        if special is not None:
            return special
    if depth > MAX_DEPTH:
        return {"$bad": "a value nested too deeply"}
    if value is None or type(value) is bool:
        return value
    if type(value) is str:
        return value[:2000]
    if type(value) is int:
        return value if -2**63 <= value < 2**63 else {"$bad": "an integer too large to send"}
    if type(value) is float:
        return value if value == value and abs(value) != float("inf") else {"$float": repr(value)}
    if type(value) is np.ndarray or (isinstance(value, np.generic) and type(value).__module__ == "numpy"):
        arr = np.asarray(value)
        if arr.dtype.kind not in "biufc":
            return {"$bad": f"an array of dtype {arr.dtype}"}
        if arr.dtype.str not in DTYPES:
            swapped = arr.astype(arr.dtype.newbyteorder("<")) if arr.dtype.byteorder == ">" else arr
            if swapped.dtype.str not in DTYPES:
                return {"$bad": f"an array of dtype {arr.dtype}"}
            arr = swapped
        key = f"a{len(arrays)}"
        arrays[key] = arr
        return {"$a": key, "scalar": type(value) is not np.ndarray}
    if isinstance(value, np.ndarray):
        return {"$bad": f"a {type(value).__name__} (a subclass of numpy.ndarray; return a plain array)"}
    if type(value) is tuple:
        return {"$t": [encode_value(v, arrays, depth + 1, hook) for v in value]}
    if type(value) is list:
        return {"$l": [encode_value(v, arrays, depth + 1, hook) for v in value[:100_000]]}
    if type(value) is dict:
        if not all(type(k) is str for k in value):
            return {"$bad": "a dict whose keys are not all strings"}
        return {"$d": {k: encode_value(v, arrays, depth + 1, hook) for k, v in value.items()}}
    return {"$bad": f"a {type(value).__name__}"}


def decode_value(tree, arrays, make_function=None, depth=0):
    """The value that ``encode_value`` described; ``arrays`` maps names to arrays.

    Each array is used once (it is removed from ``arrays``): a tree that names one
    array many times cannot make the decoder copy it many times.
    """
    if depth > MAX_DEPTH + 2:
        return Unsendable("a value nested too deeply")
    if tree is None or isinstance(tree, (bool, int, float, str)):
        return tree
    if isinstance(tree, list):
        return Unsendable("a malformed value")
    if not isinstance(tree, dict) or len(tree) == 0:
        return Unsendable("a malformed value")
    if "$a" in tree:
        arr = arrays.pop(str(tree["$a"]), None)
        if arr is None:
            return Unsendable("a missing array")
        arr = np.array(arr)  # a fresh, writable copy
        return arr[()] if tree.get("scalar") else arr
    if "$float" in tree:
        text = str(tree["$float"])
        return float(text) if text in ("nan", "inf", "-inf") else Unsendable("a malformed number")
    if "$t" in tree and isinstance(tree["$t"], list):
        return tuple(decode_value(v, arrays, make_function, depth + 1) for v in tree["$t"])
    if "$l" in tree and isinstance(tree["$l"], list):
        return [decode_value(v, arrays, make_function, depth + 1) for v in tree["$l"]]
    if "$d" in tree and isinstance(tree["$d"], dict):
        return {str(k): decode_value(v, arrays, make_function, depth + 1) for k, v in tree["$d"].items()}
    if "$bad" in tree:
        return Unsendable(tree["$bad"])
    if "$fn" in tree and make_function is not None:
        spec = tree["$fn"]
        return make_function(spec["source"], spec["name"],
                             decode_value(spec.get("globals", {"$d": {}}), arrays, make_function, depth + 1))
    return Unsendable("a malformed value")


def pack_frame(meta, arrays=None):
    """One frame: its length, then the JSON ``meta`` with the arrays' declarations, then their bytes."""
    heads, blobs = [], []
    for name, arr in (arrays or {}).items():
        arr = arr if arr.flags.c_contiguous else arr.copy(order="C")  # (ascontiguousarray makes 0-d 1-d)
        heads.append([name, arr.dtype.str, list(arr.shape)])
        blobs.append(arr.tobytes())
    doc = json.dumps({"m": meta, "a": heads}).encode()
    body = META_HEADER.pack(len(doc)) + doc + b"".join(blobs)
    return FRAME_HEADER.pack(len(body)) + body


def parse_payload(payload, max_meta=MAX_META):
    """(meta, arrays) from a frame's body; raises ``FrameError`` for anything off the format.

    The arrays are read-only views of ``payload``; the sizes they declare must add
    up to the body exactly, so nothing is allocated beyond the bytes received.
    """
    payload = memoryview(payload)
    if len(payload) < META_HEADER.size:
        raise FrameError("a frame too short to hold its header")
    (n,) = META_HEADER.unpack_from(payload, 0)
    if n > max_meta or n > len(payload) - META_HEADER.size:
        raise FrameError(f"a frame whose description claims {n} bytes")
    try:
        doc = json.loads(bytes(payload[META_HEADER.size:META_HEADER.size + n]).decode("utf-8"))
    except (ValueError, RecursionError) as err:
        raise FrameError(f"a frame whose description is not JSON ({type(err).__name__})") from None
    if not isinstance(doc, dict) or set(doc) != {"m", "a"} or not isinstance(doc["m"], dict) \
            or not isinstance(doc["a"], list) or len(doc["a"]) > 100_000:
        raise FrameError("a frame whose description has the wrong fields")
    pos, arrays = META_HEADER.size + n, {}
    for head in doc["a"]:
        if not (isinstance(head, list) and len(head) == 3 and isinstance(head[0], str) and len(head[0]) <= 64
                and head[0] not in arrays and head[1] in DTYPES and isinstance(head[2], list)
                and len(head[2]) <= 32 and all(type(d) is int and 0 <= d < 2**40 for d in head[2])):
            raise FrameError("a frame with a malformed array declaration")
        dtype = np.dtype(head[1])
        count = 1
        for d in head[2]:
            count *= d
        size = count * dtype.itemsize
        if size > len(payload) - pos:
            raise FrameError("a frame whose arrays are larger than the frame")
        arrays[head[0]] = np.frombuffer(payload, dtype, count, pos).reshape(tuple(head[2]))
        pos += size
    if pos != len(payload):
        raise FrameError("a frame with bytes that no array declares")
    return doc["m"], arrays


def read_frames(data, max_frames=100_000):
    """Parse a stream of whole frames into (meta, arrays) pairs; stops at the first malformed one."""
    frames, pos, data = [], 0, bytes(data)
    while pos + FRAME_HEADER.size <= len(data) and len(frames) < max_frames:
        (size,) = FRAME_HEADER.unpack_from(data, pos)
        start = pos + FRAME_HEADER.size
        if size > len(data) - start:
            break
        try:
            frames.append(parse_payload(data[start:start + size]))
        except FrameError:
            break
        pos = start + size
    return frames


def _read_exactly(fd, n):
    import select

    parts, left = [], n
    while left:
        select.select([fd], [], [])  # student code may have made the channel non-blocking
        try:
            chunk = os.read(fd, min(left, 1 << 20))
        except BlockingIOError:
            continue
        if not chunk:
            raise EOFError("the channel closed")
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def receive_frame(fd):
    """One frame from a trusted channel (inside the jail: the parent's commands)."""
    (size,) = FRAME_HEADER.unpack(_read_exactly(fd, FRAME_HEADER.size))
    return parse_payload(_read_exactly(fd, size), max_meta=size)


# --- everything below runs only inside the jail -------------------------------------------------


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that ``except Exception`` in student code lets it pass."""


class _Capped(io.TextIOBase):
    def __init__(self):
        self.parts, self.size = [], 0

    def write(self, s):
        s = str(s)
        if self.size < MAX_TEXT:
            self.parts.append(s[: MAX_TEXT - self.size])
            self.size += len(self.parts[-1])
        return len(s)

    def writable(self):
        return True

    def text(self):
        return "".join(self.parts)


class _Anything:
    """Stands in for plotting and display modules: every attribute and call does nothing."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __iter__(self):
        return iter((self, self))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


# Magics that change nothing a grade depends on: their Python runs as if they were not there.
TIMING_MAGICS = {"time", "timeit", "capture", "prun"}
QUIET_MAGICS = {"matplotlib", "config", "load_ext", "reload_ext", "unload_ext", "autoreload", "aimport",
                "precision", "xmode", "pprint", "colors", "autocall", "automagic", "doctest_mode", "pdb",
                "who", "whos", "pinfo", "pinfo2", "psource", "pdoc", "lsmagic", "magic"}


class _Shell(_Anything):
    """What ``get_ipython()`` gives a cell in the jail: harmless magics run, the others say so.

    ``%%time`` and ``%time`` (and ``%%timeit``, ``%%capture``) run their code once;
    display magics do nothing; any other magic or shell escape cannot run here
    (there is no shell and no IPython), and the cell's output says which one was skipped.
    """

    def __init__(self, namespace, current):
        self.namespace, self.current = namespace, current

    def _run(self, code):
        exec(compile(code, f"<{self.current[0]}>", "exec"), self.namespace)

    def run_line_magic(self, name, line, *args, **kwargs):
        if name in TIMING_MAGICS and line.strip() and not line.lstrip().startswith("-"):
            self._run(line)
        elif name not in QUIET_MAGICS and name not in TIMING_MAGICS:
            print(f"Note from the grader: the magic %{name} cannot run when grading; it was skipped.")
        return None

    def run_cell_magic(self, name, line, cell, *args, **kwargs):
        if name in TIMING_MAGICS:
            self._run(cell)
        else:
            print(f"Note from the grader: the cell magic %%{name} cannot run when grading; the body of "
                  "this cell was skipped.")
        return None

    def system(self, cmd, *args, **kwargs):
        print(f"Note from the grader: shell commands cannot run when grading; !{str(cmd)[:80]} was skipped.")
        return None

    getoutput = system


def _error_of(err, filename_prefix="<cell"):
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename.startswith(filename_prefix)]
    lines = [f"  {f.filename}, line {f.lineno}, in {f.name}" for f in frames[-5:]]
    return {"ename": type(err).__name__, "evalue": str(err)[:2000], "traceback": lines}


def _same(a, b):
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return True


def _make_function(source, name, globals_):
    namespace = {"np": np, "numpy": np, **globals_}
    exec(compile(source, f"<grader function {name}>", "exec"), namespace)
    return namespace[name]


def call_with(function, args, positional):
    """Call ``function`` the way the notebooks' own tests do: the leading arguments by position."""
    names = [n for n in positional if n in args]
    return function(*[args[n] for n in names], **{k: v for k, v in args.items() if k not in names})


def _gradcheck_tool():
    """The jail's copy of rnncourse.gradcheck (whose numerical_gradient refuses inside graded calls), or None."""
    try:
        import rnncourse.gradcheck as tool
    except Exception:  # noqa: BLE001 - no tool in this jail: nothing to switch
        return None
    return tool if isinstance(getattr(tool, "GRADED_CALL", None), list) else None


def main():  # pragma: no cover - exercised through the jail in the tests
    import signal
    import types
    import warnings

    job_dir = sys.argv[1] if len(sys.argv) > 1 else "/job"
    with open(os.path.join(job_dir, "job.json")) as f:
        job = json.load(f)
    sources = {cell["index"]: cell["source"] for cell in job["cells"]}
    # The name a person reads in a traceback ("cell 16", counted from 1 as in the grader's report).
    names = {cell["index"]: cell.get("name", f"cell {cell['index']}") for cell in job["cells"]}
    if job.get("uid") is not None:
        os.setgroups([])
        os.setgid(job["uid"])
        os.setuid(job["uid"])

    # The channels are the stdin and stdout we were started with; student code gets /dev/null.
    commands, channel = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)

    def send(meta, arrays=None):
        view = memoryview(pack_frame(meta, arrays))
        while view:
            n = os.write(channel, view)
            view = view[n:]

    def alarm(signum, frame):
        raise _Timeout()

    signal.signal(signal.SIGALRM, alarm)

    stub = _Anything()
    for name in ("matplotlib", "matplotlib.pyplot", "matplotlib.animation", "IPython", "IPython.display",
                 "tqdm", "tqdm.auto", "tqdm.notebook"):
        module = types.ModuleType(name)
        module.__getattr__ = lambda attr, _stub=stub: _stub
        sys.modules[name] = module
    namespace = {"__name__": "__main__", "display": print}
    current = [None]  # the name of the cell being run, for the file name of code a magic runs
    shell = _Shell(namespace, current)
    namespace["get_ipython"] = lambda: shell
    warnings.simplefilter("ignore")

    main_pid = os.getpid()

    def run(timeout, body):
        out = _Capped()
        sys.stdout = sys.stderr = out
        status, error, value = "ok", None, None
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            value = body()
        except _Timeout:
            status = "timeout"
        except MemoryError:
            status, error = "error", {"ename": "MemoryError", "evalue": "out of memory", "traceback": []}
        except BaseException as err:  # SystemExit and KeyboardInterrupt too: student code raised them
            status, error = "error", _error_of(err)
        finally:
            if os.getpid() != main_pid:  # a process the student's code forked: it must not reply
                os._exit(0)
            signal.setitimer(signal.ITIMER_REAL, 0)
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        return status, error, value, out.text()

    send({"event": "ready"})
    while True:
        command, inputs = receive_frame(commands)
        op = command.get("op")
        if op == "cell":
            index = command["index"]
            current[0] = names[index]

            def body(code=sources[index], name=names[index]):
                exec(compile(code, f"<{name}>", "exec"), namespace)

            status, error, _, text = run(job["cell_timeout"], body)
            send({"event": "cell", "key": index, "status": status, "error": error, "stdout": text})
        elif op == "call":
            key = command["id"]
            function = namespace.get(command["function"])
            if not callable(function):
                send({"event": "call", "key": key, "status": "missing", "error": None, "stdout": ""})
                continue
            args = decode_value(command["args"], dict(inputs), _make_function)
            pristine = decode_value(command["args"], dict(inputs), _make_function)
            positional = command.get("positional") or []
            caught = []

            def body(function=function, args=args, caught=caught, positional=positional):
                with warnings.catch_warnings(record=True) as seen:
                    warnings.simplefilter("always")
                    finite_differences = _gradcheck_tool()
                    if finite_differences is not None:
                        finite_differences.GRADED_CALL[0] = True
                    try:
                        return call_with(function, args, positional)
                    finally:
                        if finite_differences is not None:
                            finite_differences.GRADED_CALL[0] = False
                        caught.extend(f"{w.category.__name__}: {w.message}"[:300] for w in seen[:3])

            start = time.perf_counter()
            status, error, value, text = run(job["call_timeout"], body)
            seconds = time.perf_counter() - start
            arrays = {}
            try:
                tree = encode_value(value, arrays) if status == "ok" else None
                modified = [k for k in args if not _same(args[k], pristine[k])]
            except BaseException as err:  # a value that breaks encoding (it may be hostile)
                tree, arrays, modified = {"$bad": f"a value that could not be sent ({type(err).__name__})"}, {}, []
            send({"event": "call", "key": key, "status": status, "error": error, "value": tree,
                  "warnings": caught, "modified": modified, "stdout": text[:2000], "seconds": seconds}, arrays)
        else:
            break
    os._exit(0)


if __name__ == "__main__":
    main()
