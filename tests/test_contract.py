"""The exercise contract: every graded function mirrors its rnncourse twin.

Name, signature (parameter names, kinds and defaults) and docstring of each
function defined in a solution cell must equal those of the rnncourse function
of the same name, in the nbgrader source and in the released notebook alike.
Each graded function must also have a hidden test that calls the grading helper
for it, and a set of random cases in ``rnncourse.grading.CASES``.
"""

from __future__ import annotations

import ast
import inspect

import pytest

import rnncourse
from rnncourse import grading
from support import ASSIGNMENTS, EXERCISES, SOLUTIONS, nbgrader_meta, notebooks, read


def _functions(folder):
    """(assignment, notebook, grade_id, ast.FunctionDef) for every function in a solution cell."""
    found = []
    for assignment in ASSIGNMENTS:
        for nb_path in notebooks(assignment, folder):
            for cell in read(nb_path).cells:
                meta = nbgrader_meta(cell)
                if cell.cell_type == "code" and meta.get("solution"):
                    tree = ast.parse(cell.source)
                    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
                    assert defs, f"{nb_path.name}: solution cell {meta['grade_id']} defines no function"
                    found += [(assignment, nb_path.name, meta["grade_id"], d) for d in defs]
    return found


SOURCE_FUNCS = _functions(SOLUTIONS)
RELEASE_FUNCS = _functions(EXERCISES)


def _signature_of(node: ast.FunctionDef) -> str:
    """The signature as ``inspect`` prints it, rebuilt from the AST of the stub."""
    args = node.args
    params = []
    defaults = [None] * (len(args.args) - len(args.defaults)) + list(args.defaults)
    for a, d in zip(args.args, defaults):
        params.append(a.arg if d is None else f"{a.arg}={ast.unparse(d)}")
    if args.vararg:
        params.append("*" + args.vararg.arg)
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        params.append(a.arg if d is None else f"{a.arg}={ast.unparse(d)}")
    if args.kwarg:
        params.append("**" + args.kwarg.arg)
    return "(" + ", ".join(params) + ")"


@pytest.mark.parametrize(
    "assignment, notebook, grade_id, node",
    SOURCE_FUNCS + RELEASE_FUNCS,
    ids=[f"{'src' if i < len(SOURCE_FUNCS) else 'rel'}-{a}-{g}" for i, (a, _, g, _) in enumerate(SOURCE_FUNCS + RELEASE_FUNCS)],
)
def test_exercise_function_matches_rnncourse_name_signature_and_docstring(assignment, notebook, grade_id, node):
    name = node.name
    assert hasattr(rnncourse, name), f"{assignment}/{notebook}: {name} has no twin in rnncourse"
    twin = getattr(rnncourse, name)
    assert _signature_of(node) == str(inspect.signature(twin)), (
        f"{assignment}/{notebook}: {name}{_signature_of(node)} differs from "
        f"rnncourse.{name}{inspect.signature(twin)}"
    )
    assert ast.get_docstring(node) == inspect.getdoc(twin), (
        f"{assignment}/{notebook}: the docstring of {name} differs from rnncourse.{name}'s"
    )


def test_every_graded_function_has_hidden_reference_test_and_cases():
    for assignment in ASSIGNMENTS:
        for nb_path in notebooks(assignment):
            cells = read(nb_path).cells
            hidden_sources = "\n".join(
                c.source for c in cells if nbgrader_meta(c).get("grade") and "BEGIN HIDDEN TESTS" in c.source
            )
            for cell in cells:
                if nbgrader_meta(cell).get("solution"):
                    for node in ast.parse(cell.source).body:
                        if isinstance(node, ast.FunctionDef):
                            assert node.name in grading.CASES, f"no random cases for {node.name}"
                            call = f'check_against_reference("{node.name}", {node.name})'
                            assert call in hidden_sources, f"{nb_path.name}: no hidden test calls {call}"


def test_solution_and_release_define_the_same_functions():
    def names(funcs):
        return sorted((a, nb, node.name) for a, nb, _, node in funcs)

    assert names(SOURCE_FUNCS) == names(RELEASE_FUNCS)
    assert SOURCE_FUNCS, "no graded functions found"
