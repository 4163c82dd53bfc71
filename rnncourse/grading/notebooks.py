"""Small helpers for nbgrader notebooks, shared by the grading modules."""

from __future__ import annotations

SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def meta(cell):
    """A cell's nbgrader metadata ({} for an ordinary cell)."""
    return cell.get("metadata", {}).get("nbgrader", {})


def strip_solution_markers(source):
    """A solution cell as a student who solved it would leave it: the code without the markers."""
    return "\n".join(ln for ln in source.splitlines() if ln.strip() not in (SOLUTION_BEGIN, SOLUTION_END))


def filled_release(release_nb, source_nb):
    """The released notebook with every answer cell filled in from the source's solution."""
    import copy

    nb = copy.deepcopy(release_nb)
    answers = {meta(c)["grade_id"]: strip_solution_markers(c.source) for c in source_nb.cells if meta(c).get("solution")}
    for cell in nb.cells:
        if meta(cell).get("solution"):
            cell.source = answers[meta(cell)["grade_id"]]
    return nb


def top_level_names(source):
    """The names a cell's code binds at its top level: definitions, assignments and imports."""
    import ast

    try:
        body = ast.parse(source).body
    except SyntaxError:
        return set()
    names = set()
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


__all__ = ["meta", "strip_solution_markers", "filled_release", "top_level_names", "SOLUTION_BEGIN", "SOLUTION_END",
           "HIDDEN_BEGIN", "HIDDEN_END"]
