"""Independent correct implementations of the graded functions, the null of the copy report.

Layout: ``<function_name>/independent_NN.py``, each a self-contained module (numpy and math
only, helpers allowed) that defines ``<function_name>`` with the stub's signature. They were
written from the tasks' equations and docstrings, in the styles different students write, not
by editing the reference. ``rnncourse.grading.similarity`` calibrates the copy report on them
(``similarity_calibration.json``); ``test_similarity`` checks that each is correct and that none
is reported.
"""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).resolve().parent


def functions():
    """The names of the functions that have a corpus folder, sorted."""
    return sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def corpus(function_name):
    """[(path, source)] of the independent implementations of ``function_name``, by file name."""
    return [(path, path.read_text()) for path in sorted((CORPUS / function_name).glob("independent_*.py"))]
