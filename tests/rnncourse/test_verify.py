"""rnncourse.verify: the answer-cell policy and the isolated runner of test cells."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from rnncourse.verify import check_policy, run_test_cell

ROOT = Path(__file__).resolve().parents[2]
SETUP = ["import numpy as np\nfrom rnncourse.grading import assert_close, assert_scalar_close"]
TEST = 'from rnncourse.grading import check_against_reference\ncheck_against_reference("softmax", softmax)'
GOOD = '''import numpy as np
def softmax(o):
    z = o - np.max(o, axis=-1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)
'''


def _answer_cells():
    for path in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        for cell in nbformat.read(str(path), as_version=4).cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                src = "\n".join(ln for ln in cell.source.splitlines()
                                if ln.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
                yield pytest.param(src, id=f"{path.stem}-{cell.metadata['nbgrader']['grade_id']}")


@pytest.mark.parametrize("source", list(_answer_cells()))
def test_every_reference_answer_complies_with_the_policy(source):
    # The defence must cost correct students nothing: the model answers pass it.
    assert check_policy(source) == []


@pytest.mark.parametrize(
    "source, rule",
    [
        ("from rnncourse import softmax", "import from 'rnncourse'"),
        ("import rnncourse.rnn as r", "import of 'rnncourse.rnn'"),
        ("import os", "import of 'os'"),
        ("import importlib", "import of 'importlib'"),
        ("from . import x", "import from None"),
        ("import rnncourse.gradcheck", "import of 'rnncourse.gradcheck'"),
        ("from rnncourse.gradcheck import np", "only ['numerical_gradient', 'relative_error']"),
        ("from rnncourse.gradcheck import numerical_gradient, as_float_array", "as_float_array"),
        ("def f(o):\n    return __import__('rnncourse').softmax(o)", "'__import__'"),
        ("def f(o):\n    return eval('o')", "'eval'"),
        ("def f(o):\n    return getattr(o, 'sum')()", "'getattr'"),
        ("def f(o):\n    return o.__class__", "'__class__'"),
        ("def f(o):\n    return o._private", "'_private'"),
        ("import numpy as np\ndef f(o):\n    np.exp = abs\n    return o", "assignment to an attribute"),
        ("import numpy as np\ndef f(o):\n    t = np.linalg\n    t.norm = abs", "assignment to an attribute"),
        ("import numpy as np\ndef f(o):\n    return np.testing", "'testing'"),
        ("import numpy as np\ndef f(o):\n    return np.load('x.npy')", "'load'"),
        ("class A:\n    pass", "ClassDef"),
        ("def f(o):\n    return type('A', (), {})", "'type'"),
        ("import numpy as np\nnp.seterr(all='ignore')", "top level"),
        ("def f(o):\n    global g\n    g = 1", "Global"),
        ("def f(o)\n    return o", "syntax error"),
    ],
)
def test_policy_rejects_with_the_rule_and_line(source, rule):
    found = check_policy(source)
    assert found, f"accepted: {source!r}"
    assert any(rule in str(v) for v in found), [str(v) for v in found]
    assert all(v.line >= 0 for v in found)


def test_policy_accepts_ordinary_numpy_code():
    src = GOOD + '''
from rnncourse.gradcheck import numerical_gradient, relative_error
from math import log
EPS = 1e-12
def g(x, axis=-1):
    """doc"""
    out = np.zeros_like(x)
    out[..., 0] += log(2.0) + EPS
    total = 0.0
    for i in range(x.shape[0]):
        total += float(np.sum(x[i] ** 2))
    return out, total, [v for v in x.ravel() if v > 0]
'''
    assert check_policy(src) == []


def test_a_correct_answer_passes_in_a_fresh_process():
    result = run_test_cell(SETUP, [("softmax", GOOD)], TEST, timeout=20)
    assert result.passed and result.status == "passed", result


def test_a_wrong_answer_fails_with_the_helpers_message():
    result = run_test_cell(SETUP, [("softmax", "def softmax(o):\n    return o")], TEST, timeout=20)
    assert not result.passed and result.status == "failed"
    assert "largest error" in result.message and "softmax" in result.message


def test_a_top_level_rebinding_of_a_helper_is_undone_before_the_test():
    cheat = GOOD.replace("e / np.sum", "0 * e / np.sum") + "\ndef assert_close(*a, **k):\n    pass\n"
    visible = 'assert_close("p", softmax(np.zeros((1, 2))), np.array([[0.5, 0.5]]))'
    assert not run_test_cell(SETUP, [("softmax", cheat)], visible, timeout=20).passed


def test_an_endless_loop_times_out():
    result = run_test_cell(SETUP, [("softmax", "def softmax(o):\n    while True:\n        pass")], TEST, timeout=3)
    assert result.status == "timeout" and not result.passed


def test_a_crash_of_the_interpreter_is_reported_not_raised():
    crash = "import ctypes\nctypes.string_at(0)" if sys.platform != "win32" else "raise SystemExit"
    result = run_test_cell(SETUP, [("softmax", crash)], "pass", timeout=20)
    assert result.status == "crashed" and not result.passed


def test_memory_is_limited():
    hog = "import numpy as np\ndef softmax(o):\n    return np.ones((4, 1024, 1024, 1024))"
    result = run_test_cell(SETUP, [("softmax", hog)], TEST, timeout=20, memory_bytes=1024**3)
    assert not result.passed and "MemoryError" in result.message


def test_printing_a_fake_verdict_does_not_pass():
    fake = 'def softmax(o):\n    print(\'{"status": "passed", "message": "", "output": ""}\')\n    return o'
    assert not run_test_cell(SETUP, [("softmax", fake)], TEST, timeout=20).passed


def test_huge_output_is_capped():
    loud = GOOD + "\nprint('x' * 5_000_000)\n"
    result = run_test_cell(SETUP, [("softmax", loud)], TEST, timeout=20)
    assert result.passed and len(result.output) <= 4000


def test_writing_files_is_refused():
    writer = "def softmax(o):\n    with open('/tmp/rnncourse-verify-probe', 'w') as f:\n        f.write('x')\n    return o"
    result = run_test_cell(SETUP, [("softmax", writer)], TEST, timeout=20)
    assert not result.passed
