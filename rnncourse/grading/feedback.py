"""Feedback that helps without giving the hidden tests away.

nbgrader's feedback HTML shows every cell of the autograded notebook as it
ran, and the autograded notebook holds the instructor's test cells with their
hidden tests restored (nbgrader issues #917 and #1363). ``RemoveHiddenTests``
runs first in ``generate_feedback`` (see nbgrader_config.py): in each test cell
it replaces the hidden block by one comment line, and it reduces the error
output of such a cell to the exception's message, because a traceback quotes
the line of the cell that raised. The grading helpers write their messages for
students (which output, expected vs got shape, largest error and where, a hint),
so the message is the useful part.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
PLACEHOLDER = "# (hidden tests ran here: seeded random cases compared with the reference)"

__all__ = ["RemoveHiddenTests", "remove_hidden_block"]


def remove_hidden_block(source: str) -> tuple[str, bool]:
    """The source with each hidden-test block replaced by one comment; and whether there was one."""
    out, inside, found = [], False, False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == HIDDEN_BEGIN:
            inside, found = True, True
            out.append(line[: len(line) - len(line.lstrip())] + PLACEHOLDER)
        elif stripped == HIDDEN_END and inside:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out), found


class RemoveHiddenTests(Preprocessor):
    """Strip hidden tests, and the tracebacks that quote them, from test cells."""

    # nbconvert registers preprocessors switched off unless they default to on.
    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            return cell, resources
        cell.source, had_hidden = remove_hidden_block(cell.source)
        if had_hidden:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
