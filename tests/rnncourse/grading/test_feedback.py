"""rnncourse.feedback: hidden tests and the tracebacks that quote them leave the feedback."""

from __future__ import annotations

import nbformat

from rnncourse.grading.feedback import PLACEHOLDER, RemoveHiddenTests, remove_hidden_block

CELL = """# visible part
assert_close("x", f(1), 1)
### BEGIN HIDDEN TESTS
check_against_reference("f", f)
### END HIDDEN TESTS
print("done")"""


def test_hidden_block_is_replaced_by_one_comment():
    out, found = remove_hidden_block(CELL)
    assert found
    assert "check_against_reference" not in out and "HIDDEN" not in out
    assert out.splitlines() == ["# visible part", 'assert_close("x", f(1), 1)', PLACEHOLDER, 'print("done")']


def test_cell_without_hidden_block_is_unchanged():
    assert remove_hidden_block("a = 1\nb = 2") == ("a = 1\nb = 2", False)


def test_preprocessor_strips_traceback_of_hidden_cells_only():
    hidden = nbformat.v4.new_code_cell(CELL, metadata={"nbgrader": {"grade": True, "grade_id": "t", "points": 1}})
    hidden.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="f: shape (2,), expected (3,)",
                                             traceback=["Traceback", 'check_against_reference("f", f)', "..."])]
    visible = nbformat.v4.new_code_cell("assert 1 == 2", metadata={"nbgrader": {"grade": True, "grade_id": "v"}})
    visible.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="", traceback=["assert 1 == 2"])]
    answer = nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\nx\n### END HIDDEN TESTS",
                                       metadata={"nbgrader": {"solution": True, "grade_id": "a"}})
    nb = nbformat.v4.new_notebook(cells=[hidden, visible, answer])
    nb, _ = RemoveHiddenTests().preprocess(nb, {})
    assert nb.cells[0].outputs[0]["traceback"] == ["AssertionError: f: shape (2,), expected (3,)"]
    assert "check_against_reference" not in nb.cells[0].source
    assert nb.cells[1].outputs[0]["traceback"] == ["assert 1 == 2"]
    assert "HIDDEN" in nb.cells[2].source  # not a test cell: left alone


def test_preprocessor_is_on_when_nbgrader_registers_it():
    # nbconvert's register_preprocessor leaves a class's instance as its `enabled` default says.
    from nbconvert.exporters import HTMLExporter

    exporter = HTMLExporter()
    exporter.register_preprocessor(RemoveHiddenTests)
    assert exporter._preprocessors[-1].enabled
