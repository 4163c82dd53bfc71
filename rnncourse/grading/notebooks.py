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


__all__ = ["meta", "strip_solution_markers", "filled_release", "SOLUTION_BEGIN", "SOLUTION_END",
           "HIDDEN_BEGIN", "HIDDEN_END"]
