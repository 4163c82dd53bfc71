"""Every assignment, graded in the jail as ``python -m rnncourse.grading check`` does, gives each of
four simulated submissions exactly what it deserves:

- ``student_style`` (every answer right, written with helpers, wrappers taking ``*args``, prints,
  a plot and a magic): full marks, so that no assignment's specification depends on how an answer
  is written;
- ``partial`` (the first half of the answers right): exactly the points of those tasks, so that one
  task's cases do not depend on another task's answer;
- ``precomputed`` (the reference's outputs for the public cases, stored in advance): the visible
  points only, so that every hidden check of every assignment draws cases the public seed does not;
- ``renamed_parameters`` (every answer right, every parameter renamed): full marks, so that the
  grader calls every graded function by position, as the notebooks' own tests do.

``test_grading_security.py`` grades the whole set of kinds through both nbgrader modes on two
assignments; this file covers the other assignments' specifications, cheaply (no nbgrader run).
"""

from __future__ import annotations

import nbformat
import pytest

from rnncourse.grading import simulate
from rnncourse.grading.verify import grade_notebook
from support import ASSIGNMENTS, EXERCISES, SOLUTIONS, notebooks, read

pytestmark = pytest.mark.slow
KINDS = [k for k in simulate.KINDS if k.name in ("student_style", "partial", "precomputed", "renamed_parameters")]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_simulated_submission_gets_what_it_deserves(assignment, kind):
    for source_path in notebooks(assignment, SOLUTIONS):
        source = read(source_path)
        release = read(EXERCISES / assignment / source_path.name)
        files = simulate.build(kind, release, source, source_path.name)
        nb = nbformat.reads(files[source_path.name], as_version=4)
        result = grade_notebook(nb, "a secret for this test", assignment, kind.name, source_path.name,
                                with_advice=False)
        expected = simulate.expected_points(kind, source)
        failed = {g: v.message.splitlines()[0] for g, v in result.verdicts.items() if not v.passed}
        assert result.score == pytest.approx(expected), \
            f"{assignment}/{kind.name}: {result.score} points, expected {expected}; failed: {failed}"
        assert result.sandboxed, f"{assignment}: graded outside the jail ({result.backend})"
