"""What runs inside the jail: a student's notebook code, then calls of their functions.

This file is copied into the jail and run there by a bare interpreter that sees
numpy and the standard library only. It must therefore import nothing else. The
trusted parent (``rnncourse.grading.jail``) imports it too, for the wire format
(``encode_value``/``decode_value``, ``read_frames``), so that both sides speak
exactly one format.

Nothing that comes out of the jail is trusted. Results travel as frames of plain
data: an ``.npz`` archive (read with ``allow_pickle=False``) that holds a JSON
description and numeric arrays. No object crosses, so no lying ``__eq__`` either;
the parent compares the numbers with values it computed itself.

The job (``/job/job.json`` and ``/job/inputs.npz``):

- ``cells``: ``[{"index": i, "source": s}]``, the notebook's code cells that are
  not test cells, already turned into plain Python (IPython magics become calls
  of a stub ``get_ipython()``), run in order in one namespace.
- ``calls``: ``[{"id": k, "function": name, "args": tree}]``, run after the cells;
  each call gets fresh copies of its arguments.
- ``uid``: when the jail starts as root inside its namespaces, the user id to
  drop to before any student code runs (so that the process-count limit holds).
- ``cell_timeout``, ``call_timeout``: seconds (wall clock) for each.

Frames written to the result channel (the stdout the process started with; the
student's code sees a /dev/null stdout instead):

- ``{"event": "begin", "kind": "cell"|"call", "key": ...}`` before each item,
  so that the parent knows which item a crash or a hang belongs to;
- ``{"event": "cell", ...}`` and ``{"event": "call", ...}`` with the outcome;
- ``{"event": "done"}``.
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
FRAME_HEADER = struct.Struct(">Q")


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
    """The value that ``encode_value`` described; ``arrays`` maps names to arrays."""
    if depth > MAX_DEPTH + 2:
        return Unsendable("a value nested too deeply")
    if tree is None or isinstance(tree, (bool, int, float, str)):
        return tree
    if isinstance(tree, list):
        return Unsendable("a malformed value")
    if not isinstance(tree, dict) or len(tree) == 0:
        return Unsendable("a malformed value")
    if "$a" in tree:
        arr = arrays.get(str(tree["$a"]))
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
    """One frame: its length, then an npz archive with the JSON ``meta`` and the arrays."""
    buf = io.BytesIO()
    payload = {"__meta__": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)}
    payload.update(arrays or {})
    np.savez(buf, **payload)
    data = buf.getvalue()
    return FRAME_HEADER.pack(len(data)) + data


def read_frames(data, max_frames=100_000):
    """Parse the bytes of a result channel into (meta, arrays) pairs; stops at the first malformed frame."""
    frames, pos = [], 0
    while pos + FRAME_HEADER.size <= len(data) and len(frames) < max_frames:
        (size,) = FRAME_HEADER.unpack_from(data, pos)
        start = pos + FRAME_HEADER.size
        if size > len(data) - start:
            break
        try:
            with np.load(io.BytesIO(data[start:start + size]), allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
            meta = json.loads(bytes(arrays.pop("__meta__")).decode())
            if not isinstance(meta, dict):
                break
        except Exception:
            break
        frames.append((meta, arrays))
        pos = start + size
    return frames


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


def main():  # pragma: no cover - exercised through the jail in the tests
    import signal
    import types
    import warnings

    job_dir = sys.argv[1] if len(sys.argv) > 1 else "/job"
    with open(os.path.join(job_dir, "job.json")) as f:
        job = json.load(f)
    with np.load(os.path.join(job_dir, "inputs.npz"), allow_pickle=False) as npz:
        inputs = {k: npz[k] for k in npz.files}
    if job.get("uid") is not None:
        os.setgroups([])
        os.setgid(job["uid"])
        os.setuid(job["uid"])

    # The result channel is the stdout we were started with; student code gets /dev/null.
    channel = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)

    def send(meta, arrays=None):
        data = pack_frame(meta, arrays)
        view = memoryview(data)
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
    namespace = {"__name__": "__main__", "get_ipython": lambda: stub, "display": print}
    warnings.simplefilter("ignore")

    main_pid = os.getpid()

    def run(kind, key, timeout, body):
        send({"event": "begin", "kind": kind, "key": key})
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
            if os.getpid() != main_pid:  # a process the student's code forked: it must not report
                os._exit(0)
            signal.setitimer(signal.ITIMER_REAL, 0)
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        return status, error, value, out.text()

    for cell in job["cells"]:
        index = cell["index"]
        code = cell["source"]

        def body(code=code, index=index):
            exec(compile(code, f"<cell {index}>", "exec"), namespace)

        status, error, _, text = run("cell", index, job["cell_timeout"], body)
        send({"event": "cell", "key": index, "status": status, "error": error, "stdout": text})

    timed_out = set()  # a function that timed out once is not called again: it would only time out again
    for call in job["calls"]:
        if call["function"] in timed_out:
            send({"event": "begin", "kind": "call", "key": call["id"]})
            send({"event": "call", "key": call["id"], "status": "timeout", "stdout": "",
                  "error": {"ename": "Timeout", "evalue": "not run: an earlier call of this function timed out"}})
            continue
        function = namespace.get(call["function"])
        if not callable(function):
            send({"event": "begin", "kind": "call", "key": call["id"]})
            send({"event": "call", "key": call["id"], "status": "missing", "error": None, "stdout": ""})
            continue
        args = decode_value(call["args"], inputs, _make_function)
        pristine = decode_value(call["args"], inputs, _make_function)
        caught = []

        def body(function=function, args=args, caught=caught):
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always")
                try:
                    return function(**args)
                finally:
                    caught.extend(f"{w.category.__name__}: {w.message}"[:300] for w in seen[:3])

        start = time.perf_counter()
        status, error, value, text = run("call", call["id"], job["call_timeout"], body)
        seconds = time.perf_counter() - start
        if status == "timeout":
            timed_out.add(call["function"])
        arrays = {}
        try:
            tree = encode_value(value, arrays) if status == "ok" else None
            modified = [k for k in args if not _same(args[k], pristine[k])]
        except BaseException as err:  # a value that breaks encoding (it may be hostile)
            tree, arrays, modified = {"$bad": f"a value that could not be sent ({type(err).__name__})"}, {}, []
        send({"event": "call", "key": call["id"], "status": status, "error": error, "value": tree,
              "warnings": caught, "modified": modified, "stdout": text[:2000], "seconds": seconds}, arrays)
    send({"event": "done"})
    os._exit(0)


if __name__ == "__main__":
    main()
