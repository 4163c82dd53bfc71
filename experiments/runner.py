"""Run the book's experiments and write their results with their provenance.

    python -m experiments                 # every experiment (make experiments)
    python -m experiments ntm_copy        # one (make experiments E=ntm_copy)
    python -m experiments --smoke --out DIR ntm_copy   # the reduced run the tests use
    python -m experiments --list
"""

import argparse
import datetime
import importlib
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

from rnncourse.results import RESULTS_DIR, ROOT, source_hash

HERE = Path(__file__).resolve().parent


def names():
    """Every experiment: the modules of this folder except the runner's own."""
    return sorted(
        p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_") and p.stem not in {"runner"}
    )


def load(name):
    if name not in names():
        raise SystemExit(f"unknown experiment {name!r}; the experiments are: {', '.join(names())}")
    module = importlib.import_module(f"experiments.{name}")
    for attr in ("DESCRIPTION", "DEPENDS", "run"):
        if not hasattr(module, attr):
            raise SystemExit(f"experiments/{name}.py must define {attr} (see experiments/__init__.py)")
    return module


def depends_of(name, module):
    """The files whose bytes the result's hash covers: the script, then what it declares."""
    return [f"experiments/{name}.py"] + list(module.DEPENDS)


class Progress:
    """A progress bar on stderr for long loops: ``for i in progress(range(n), "training"):``."""

    def __init__(self, quiet=False, stream=None):
        self.quiet = quiet
        self.stream = stream or sys.stderr

    def __call__(self, iterable, desc="", total=None):
        total = total if total is not None else len(iterable)
        start = time.perf_counter()
        last = -1.0
        for i, item in enumerate(iterable):
            yield item
            now = time.perf_counter()
            if not self.quiet and (now - last > 0.5 or i + 1 == total):
                last = now
                done = (i + 1) / max(total, 1)
                bar = "#" * int(30 * done)
                eta = (now - start) / done * (1 - done) if done > 0 else 0.0
                self.stream.write(f"\r  {desc:28.28} [{bar:<30}] {i + 1}/{total}  eta {eta:5.0f} s")
                if i + 1 == total:
                    self.stream.write("\n")
                self.stream.flush()


def _jsonable(value, where):
    """Refuse what JSON would silently turn into something else (numpy scalars become floats)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist(), where)
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"{where}: {type(value).__name__} cannot be written to JSON")


def run_one(name, smoke=False, out_dir=None, quiet=False):
    """Run one experiment and write ``<out_dir>/<name>.json`` (and ``.npz``); return the record."""
    module = load(name)
    depends = depends_of(name, module)
    out_dir = Path(out_dir) if out_dir is not None else RESULTS_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    if not quiet:
        print(f"{name}: {module.DESCRIPTION}{' (smoke run)' if smoke else ''}", file=sys.stderr)
    start = time.perf_counter()
    produced = module.run(smoke=smoke, progress=Progress(quiet=quiet))
    wall = time.perf_counter() - start
    missing = {"seeds", "budget", "data"} - set(produced)
    if missing:
        raise SystemExit(f"experiments/{name}.py: run() must return {sorted(missing)} too")
    arrays = produced.get("arrays") or {}
    record = {
        "name": name,
        "description": module.DESCRIPTION,
        "smoke": bool(smoke),
        "seeds": _jsonable(produced["seeds"], "seeds"),
        "budget": _jsonable(produced["budget"], "budget"),
        "wall_time_s": round(wall, 1),
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "machine": platform.machine(),
        },
        "depends": depends,
        "source_hash": source_hash(depends, ROOT),
        "arrays": sorted(arrays),
        "data": _jsonable(produced["data"], "data"),
    }
    (out_dir / f"{name}.json").write_text(json.dumps(record, indent=1) + "\n")
    npz_path = out_dir / f"{name}.npz"
    if arrays:
        np.savez_compressed(npz_path, **{k: np.asarray(v) for k, v in arrays.items()})
    elif npz_path.exists():
        npz_path.unlink()
    if not quiet:
        print(f"{name}: {wall:.0f} s, written to {out_dir / (name + '.json')}", file=sys.stderr)
    return record


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m experiments", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="experiments to run (default: all)")
    parser.add_argument("--smoke", action="store_true", help="the reduced run (seconds), for tests")
    parser.add_argument("--out", help="write results here instead of book/_results")
    parser.add_argument("--list", action="store_true", help="list the experiments and exit")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    if args.list:
        # The committed result's own record says how long the full run took and on how many seeds.
        total = 0.0
        for name in names():
            record_path = RESULTS_DIR / f"{name}.json"
            if record_path.is_file():
                record = json.loads(record_path.read_text())
                total += record["wall_time_s"]
                made = f"{record['wall_time_s']:7.0f} s  {len(record['seeds']):2d} seeds"
            else:
                made = "  no committed result"
            print(f"{name:20} {made}  {load(name).DESCRIPTION}")
        print(f"{'all':20} {total:7.0f} s  (the committed results' recorded wall times)")
        return 0
    if args.smoke and args.out is None:
        parser.error("--smoke needs --out: a reduced run must never replace a committed result")
    chosen = args.names or names()
    total = time.perf_counter()
    for name in chosen:
        run_one(name, smoke=args.smoke, out_dir=args.out, quiet=args.quiet)
    print(f"{len(chosen)} experiment(s) in {time.perf_counter() - total:.0f} s", file=sys.stderr)
    return 0
