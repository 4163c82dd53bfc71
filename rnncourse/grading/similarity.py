"""Answers that look copied from the reference, for an instructor to read.

The reference implementation and the solutions are public (an open course ships
them), so a student can copy instead of deriving. The jail makes *calling* the
reference impossible; copying its text is a matter for a human. This module
lists, per submission:

- answer functions whose normalised code matches, or nearly matches, the
  reference function in ``rnncourse`` or the function in the published
  solution notebook. Normalised: the syntax tree with docstrings dropped and
  every local name, argument and constant replaced by a placeholder, so that
  renaming variables does not hide a copy. Only functions of some size count:
  short answers are alike because the task is.
- cells that import the reference package (not the two tools handed out).

It changes no score.
"""

from __future__ import annotations

import ast
import difflib
import inspect
import textwrap
import warnings
from pathlib import Path

import nbformat

from .jail import reference_imports
from .notebooks import meta, strip_solution_markers

__all__ = ["normalised_tokens", "similarity", "flag_copies", "THRESHOLD", "MIN_TOKENS"]

THRESHOLD = 0.9  # similarity at or above which an answer is listed
MIN_TOKENS = 80  # normalised tokens below which a function is too short to judge


class _Normalise(ast.NodeTransformer):
    def visit_FunctionDef(self, node):
        node.name = "_"
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:] or [ast.Pass()]
        node.body = body
        node.decorator_list, node.returns = [], None
        self.generic_visit(node)
        return node

    def visit_Name(self, node):
        return ast.copy_location(ast.Name(id="_", ctx=node.ctx), node)

    def visit_arg(self, node):
        return ast.copy_location(ast.arg(arg="_", annotation=None), node)

    def visit_Constant(self, node):
        return ast.copy_location(ast.Constant(value=0 if not isinstance(node.value, str) else ""), node)


def normalised_tokens(function_source):
    """The normalised syntax tree of a function, as a list of node names (and attribute names)."""
    tree = _Normalise().visit(ast.parse(textwrap.dedent(function_source)))
    tokens = []
    for node in ast.walk(tree):
        tokens.append(type(node).__name__)
        if isinstance(node, ast.Attribute):
            tokens.append(node.attr)
    return tokens


def similarity(a_source, b_source):
    """How alike two functions are after normalisation, from 0 to 1."""
    a, b = normalised_tokens(a_source), normalised_tokens(b_source)
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio(), min(len(a), len(b))


def _functions(source):
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    return {n.name: ast.get_source_segment(source, n) for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def _read(path):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return nbformat.read(str(path), as_version=4)
    except Exception:
        return None


def flag_copies(submission_dir, source_dir):
    """Lines for the instructor's report about one submission (an empty list when nothing stands out)."""
    from .chapters import TASKS

    flags = []
    for source_path in sorted(Path(source_dir).glob("*.ipynb")):
        nb, src = _read(Path(submission_dir) / source_path.name), _read(source_path)
        if nb is None or src is None:
            continue
        solutions = {}
        for cell in src.cells:
            if meta(cell).get("solution"):
                solutions.update(_functions(strip_solution_markers(cell.source)))
        for index, cell in enumerate(nb.cells):
            if cell.get("cell_type") != "code" or (meta(cell).get("grade") and not meta(cell).get("solution")):
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                for name in reference_imports(node):
                    flags.append(f"{source_path.name}, cell {index + 1}: imports {name} (the reference package)")
            for name, code in _functions(cell.source).items():
                if name not in TASKS:
                    continue
                candidates = [("the reference rnncourse." + name, inspect.getsource(TASKS[name].reference))]
                if name in solutions:
                    candidates.append(("the published solution", solutions[name]))
                for label, other in candidates:
                    ratio, size = similarity(code, other)
                    if size >= MIN_TOKENS and ratio >= THRESHOLD:
                        flags.append(f"{source_path.name}: answer {name} matches {label} "
                                     f"(similarity {ratio:.2f} after renaming)")
                        break
    return flags
