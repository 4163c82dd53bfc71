"""exercises/ is exactly what `make release` generates from solutions/."""

from __future__ import annotations

import pytest

from support import ASSIGNMENTS, EXERCISES, make_course, nbgrader_meta, read, run


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("release"))
    # One nbgrader process releases every assignment (the id is a glob): the same files as one
    # `generate_assignment NAME` per assignment, which `make release` runs, in a ninth of the time.
    run(["nbgrader", "generate_assignment", "*", "--no-db", "--force"], cwd=course)
    released = sorted(p.name for p in (course / "exercises").iterdir())
    assert released == ASSIGNMENTS, f"released {released}, expected {ASSIGNMENTS}"
    return course / "exercises"


def _cells(nb):
    return [(c.cell_type, c.source, nbgrader_meta(c)) for c in nb.cells]


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_release_equals_regenerated_release(regenerated, assignment):
    fresh, committed = regenerated / assignment, EXERCISES / assignment
    fresh_files = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file())
    committed_files = sorted(p.relative_to(committed).as_posix() for p in committed.rglob("*") if p.is_file())
    assert committed_files == fresh_files, "exercises/ and a fresh release hold different files: run `make release`"
    for name in fresh_files:
        if name.endswith(".ipynb"):
            new, old = read(fresh / name), read(committed / name)
            for i, (a, b) in enumerate(zip(_cells(new), _cells(old))):
                assert a == b, f"{assignment}/{name}: cell {i} differs from a fresh release: run `make release`"
            assert len(new.cells) == len(old.cells), f"{assignment}/{name}: cell count differs: run `make release`"
            assert new.metadata.get("kernelspec") == old.metadata.get("kernelspec")
        else:
            assert (fresh / name).read_bytes() == (committed / name).read_bytes(), f"{assignment}/{name} differs"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_solution_or_hidden_test_markers(assignment):
    for path in (EXERCISES / assignment).rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
                assert marker not in text, f"{path} contains {marker!r}"
