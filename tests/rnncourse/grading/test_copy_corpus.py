"""The copy corpus: every independent implementation passes every check of its task.

``copy_corpus/<function>/independent_NN.py`` holds honest, independently written answers
(no text of the reference or the published solution), used to calibrate
``rnncourse.grading.similarity``: how alike correct answers look when nobody copied. They are
only worth that if they are correct, so each one runs through its task's checks here, in
process, as ``grade`` would: the visible cases, hidden cases from fixed seeds, the numerical
gradient check and any check of the task's own (the descent of ``tbptt_step``).

Each check is planned once per task and seed and shared by the task's implementations: some
case generators train small models, which would otherwise dominate the time.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import inspect
import sys
from pathlib import Path

import pytest

from rnncourse.grading import spec
from rnncourse.grading.chapters import TASKS

CORPUS = Path(__file__).parent / "copy_corpus"
HIDDEN_SEEDS = (1,)
# How many there are is test_similarity's business; here, whether each is right.
NAMES = sorted(TASKS)


def _files(name):
    return sorted((CORPUS / name).glob("independent_*.py"))


def _load(path):
    module_spec = importlib.util.spec_from_file_location(f"copy_corpus_{path.parent.name}_{path.stem}", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


@functools.lru_cache(maxsize=None)
def _plan(name, check, seed):
    return spec.plan(TASKS[name], check, seed)


def _checks(task):
    seeds = {"visible": [spec.public_seed(task.name)], "hidden": list(HIDDEN_SEEDS)}
    return [(check, seed) for check in task.check_names() for seed in seeds.get(check, [0])]


def _failures(task, func):
    failures = []
    for check, seed in _checks(task):
        for probe in _plan(task.name, check, seed):
            outcome = spec.run_in_process(func, probe, spec.positional_names(task, probe.kwargs))
            message = spec.judge_outcome(probe, outcome)
            if message is not None:
                failures.append(f"{check} (seed {seed}): {message}")
                break
    return failures


ALLOWED_IMPORTS = {"numpy"} | set(sys.stdlib_module_names)


@pytest.mark.parametrize("name", NAMES)
def test_independent_implementations_pass_every_check(name):
    task = TASKS[name]
    failed = {}
    for path in _files(name):
        func = getattr(_load(path), name, None)
        assert callable(func), f"{path.name} defines no function {name}"
        # the stub's signature, which is the reference's: names, order and defaults
        assert inspect.signature(func) == inspect.signature(task.reference), path.name
        problems = _failures(task, func)
        if problems:
            failed[path.name] = problems
    assert not failed, failed


@pytest.mark.parametrize("name", NAMES)
def test_independent_implementations_import_only_numpy_and_the_standard_library(name):
    for path in _files(name):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert roots <= ALLOWED_IMPORTS, f"{path.name} imports {roots}"
        long_lines = [i for i, line in enumerate(path.read_text().splitlines(), 1) if len(line) > 110]
        assert not long_lines, f"{path.name}: lines longer than 110 characters: {long_lines}"
