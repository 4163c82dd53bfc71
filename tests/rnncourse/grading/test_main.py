"""``python -m rnncourse.grading check NOTEBOOK``: the grader's verdict, for a student before submitting."""

from __future__ import annotations

import io
import re

import nbformat

from rnncourse.grading import __main__ as grading_main
from rnncourse.grading.__main__ import check
from rnncourse.grading.notebooks import filled_release
from support import EXERCISES, SOLUTIONS, read

NAME = "01_rnn_forward"
RELEASE = EXERCISES / NAME / f"{NAME}.ipynb"


def run_check(path):
    out = io.StringIO()
    code = check(path, out=out)
    return code, out.getvalue()


def test_check_of_a_filled_release_prints_full_marks(tmp_path):
    path = tmp_path / f"{NAME}.ipynb"
    nbformat.write(filled_release(read(RELEASE), read(SOLUTIONS / NAME / f"{NAME}.ipynb")), str(path))
    code, text = run_check(path)
    assert code == 0
    assert "Total: 20 of 20 points." in text, text
    assert "FAILED" not in text
    assert re.search(r"^\[(\d+)/\1\] rnn_step_forward_hidden: passed$", text, re.M), text


def test_check_of_the_untouched_release_prints_zero_and_why(tmp_path):
    code, text = run_check(RELEASE)
    assert code == 0
    assert "Total: 0 of 20 points." in text, text
    assert re.search(r"^\[0/\d+\] softmax_visible: FAILED$", text, re.M), text
    assert "softmax is not implemented yet" in text


def test_check_of_a_file_that_is_not_json_returns_2_with_a_clear_message(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{ this is not json")
    code, text = run_check(path)
    assert code == 2
    assert text.startswith(f"{path} is not a notebook that can be read: NotJSONError"), text
    assert "Total" not in text


def test_check_of_a_missing_file_returns_2(tmp_path):
    code, text = run_check(tmp_path / "nowhere.ipynb")
    assert code == 2 and "is not a notebook that can be read" in text


def test_check_of_json_that_is_not_a_notebook_returns_2(tmp_path):
    path = tmp_path / "list.ipynb"
    path.write_text("[1, 2, 3]")
    code, text = run_check(path)
    assert code == 2 and "is not a notebook that can be read" in text


def test_check_of_a_notebook_breaking_the_schema_returns_2(tmp_path):
    """BUG (exposed, not fixed): nbformat.read accepts a notebook that breaks the schema (here a code
    cell whose source is a number) with a warning only, and check() then crashes with TypeError inside
    grade_notebook instead of saying that the notebook cannot be read."""
    path = tmp_path / "odd.ipynb"
    path.write_text('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": '
                    '[{"cell_type": "code", "id": "a", "source": 5, "metadata": {}, "outputs": [], '
                    '"execution_count": null}]}')
    code, text = run_check(path)
    assert code == 2 and "is not a notebook that can be read" in text


def test_command_line_exit_code_is_the_worst_of_its_notebooks(tmp_path, monkeypatch):
    broken = tmp_path / "broken.ipynb"
    broken.write_text("not json")
    out = io.StringIO()
    monkeypatch.setattr(grading_main, "check", lambda path: check(path, out=out))
    assert grading_main.main(["check", str(RELEASE), str(broken)]) == 2
    text = out.getvalue()
    assert "Total: 0 of 20 points." in text and "is not a notebook that can be read" in text
    assert grading_main.main(["check", str(RELEASE)]) == 0
