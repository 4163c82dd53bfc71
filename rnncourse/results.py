"""Results of the book's long experiments: load them, and check that the code that made them is the
code as it is now.

Runs with several seeds, long training budgets or sweeps do not fit in the book's build. They live
in ``experiments/`` (one script per claim or figure) and write their results to
``book/_results/NAME.json`` (numbers, seeds, budget, wall time, versions) and ``NAME.npz`` (arrays,
trained weights). Each result records ``source_hash``: the sha256 of the code of the experiment's
script and of every ``rnncourse`` source file it depends on. The code of a Python file is its syntax
tree without docstrings, written back as source (``ast.unparse``): a corrected comment or docstring
leaves a result valid, a changed line of code does not. A chapter loads a result with :func:`load_result`,
which refuses one whose recorded hash differs from the hash of the files today, so a figure is
never drawn from numbers that the current code did not produce.
"""

import ast
import hashlib
import json
from pathlib import Path

import numpy as np

# The repository root: results and experiments live beside the package (an editable install).
ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "book" / "_results"


class StaleResult(RuntimeError):
    """A committed result that the current code did not produce (or that is missing)."""


def _without_docstrings(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return tree


def code_of(path):
    """What a result depends on in one file: for Python, the code without comments and docstrings
    (``ast.unparse`` of the tree; the same Python version gives the same text); otherwise the bytes."""
    path = Path(path)
    if path.suffix == ".py":
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        return ast.unparse(_without_docstrings(tree)).encode()
    return path.read_bytes()


def source_hash(paths, root=ROOT):
    """sha256 over the code of the named files (paths relative to ``root``), in the order given.

    Each file contributes its path and its code (:func:`code_of`), so renaming a dependency changes
    the hash too, and editing only a comment or a docstring does not.
    """
    if isinstance(paths, (str, Path)):
        raise TypeError("paths must be a list of file paths relative to the repository root")
    digest = hashlib.sha256()
    for rel in paths:
        path = Path(root) / rel
        if not path.is_file():
            raise FileNotFoundError(f"paths: {rel} is not a file under {root}")
        digest.update(str(rel).encode())
        digest.update(b"\0")
        digest.update(code_of(path))
        digest.update(b"\0")
    return digest.hexdigest()


class Result(dict):
    """A loaded result: the JSON record (``result["data"]``, ``result["seeds"]``, ...) with its
    arrays in ``result.arrays`` (a dict of numpy arrays, empty when the experiment saved none)."""

    arrays: dict


def load_result(name, results_dir=None, check=True):
    """Load ``book/_results/<name>.json`` (and ``<name>.npz`` if present).

    With ``check`` (the default) a result whose ``source_hash`` differs from the hash of its files
    now raises :class:`StaleResult` naming the command that makes it again.
    """
    if not isinstance(name, str) or not name or "/" in name:
        raise ValueError(f"name must be an experiment name such as 'ntm_copy', got {name!r}")
    results_dir = Path(results_dir) if results_dir is not None else RESULTS_DIR
    record_path = results_dir / f"{name}.json"
    rerun = f"run `make experiments E={name}` from the repository root"
    if not record_path.is_file():
        raise StaleResult(f"no result for experiment {name!r} at {record_path}: {rerun}")
    record = json.loads(record_path.read_text())
    if check:
        now = source_hash(record["depends"])
        if now != record["source_hash"]:
            raise StaleResult(
                f"the result of experiment {name!r} was produced by other code than today's "
                f"({', '.join(record['depends'])} changed since): {rerun}"
            )
    result = Result(record)
    arrays_path = results_dir / f"{name}.npz"
    result.arrays = {}
    if arrays_path.is_file():
        with np.load(arrays_path, allow_pickle=False) as npz:
            result.arrays = {key: npz[key] for key in npz.files}
    return result
