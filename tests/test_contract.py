"""The exercise contract: every graded function mirrors its rnncourse twin.

Name, signature (parameter names, kinds and defaults) and docstring of each
function defined in a solution cell must equal those of the rnncourse function
of the same name, in the nbgrader source and in the released notebook alike.
Each graded function must also have a specification (``rnncourse.grading.chapters``)
and test cells for the checks it defines; each test cell names a check of a
specification by its grade id, and each hidden test cell is one ``grade`` call.
The rules of grading are stated once, identically, in every assignment's
introduction and in the preface.
"""

from __future__ import annotations

import ast
import inspect
import re

import pytest

import rnncourse
from rnncourse.grading.chapters import TASKS, find
from support import ASSIGNMENTS, EXERCISES, ROOT, SOLUTIONS, nbgrader_meta, normalise, notebooks, read


def _functions(folder):
    """(assignment, notebook, grade_id, ast.FunctionDef) for every function in a solution cell."""
    found = []
    for assignment in ASSIGNMENTS:
        for nb_path in notebooks(assignment, folder):
            for cell in read(nb_path).cells:
                meta = nbgrader_meta(cell)
                if cell.cell_type == "code" and meta.get("solution"):
                    tree = ast.parse(cell.source)
                    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
                    assert defs, f"{nb_path.name}: solution cell {meta['grade_id']} defines no function"
                    found += [(assignment, nb_path.name, meta["grade_id"], d) for d in defs]
    return found


SOURCE_FUNCS = _functions(SOLUTIONS)
RELEASE_FUNCS = _functions(EXERCISES)


def _signature_of(node: ast.FunctionDef) -> str:
    """The signature as ``inspect`` prints it, rebuilt from the AST of the stub."""
    args = node.args
    params = []
    defaults = [None] * (len(args.args) - len(args.defaults)) + list(args.defaults)
    for a, d in zip(args.args, defaults):
        params.append(a.arg if d is None else f"{a.arg}={ast.unparse(d)}")
    if args.vararg:
        params.append("*" + args.vararg.arg)
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        params.append(a.arg if d is None else f"{a.arg}={ast.unparse(d)}")
    if args.kwarg:
        params.append("**" + args.kwarg.arg)
    return "(" + ", ".join(params) + ")"


@pytest.mark.parametrize(
    "assignment, notebook, grade_id, node",
    SOURCE_FUNCS + RELEASE_FUNCS,
    ids=[f"{'src' if i < len(SOURCE_FUNCS) else 'rel'}-{a}-{g}" for i, (a, _, g, _) in enumerate(SOURCE_FUNCS + RELEASE_FUNCS)],
)
def test_exercise_function_matches_rnncourse_name_signature_and_docstring(assignment, notebook, grade_id, node):
    name = node.name
    assert hasattr(rnncourse, name), f"{assignment}/{notebook}: {name} has no twin in rnncourse"
    twin = getattr(rnncourse, name)
    assert _signature_of(node) == str(inspect.signature(twin)), (
        f"{assignment}/{notebook}: {name}{_signature_of(node)} differs from "
        f"rnncourse.{name}{inspect.signature(twin)}"
    )
    assert ast.get_docstring(node) == inspect.getdoc(twin), (
        f"{assignment}/{notebook}: the docstring of {name} differs from rnncourse.{name}'s"
    )


def test_every_graded_function_has_a_specification_and_a_test_cell_for_each_of_its_checks():
    for assignment in ASSIGNMENTS:
        for nb_path in notebooks(assignment):
            cells = read(nb_path).cells
            grade_ids = {nbgrader_meta(c)["grade_id"] for c in cells
                         if nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")}
            for cell in cells:
                if nbgrader_meta(cell).get("solution"):
                    for node in ast.parse(cell.source).body:
                        if isinstance(node, ast.FunctionDef):
                            assert node.name in TASKS, f"no grading specification for {node.name}"
                            for check in TASKS[node.name].check_names():
                                assert f"{node.name}_{check}" in grade_ids, \
                                    f"{nb_path.name}: no test cell {node.name}_{check} for the {check} check"


def test_every_test_cell_names_a_check_and_hidden_cells_are_one_grade_call():
    for assignment in ASSIGNMENTS:
        for nb_path in notebooks(assignment):
            for cell in read(nb_path).cells:
                meta = nbgrader_meta(cell)
                if not meta.get("grade") or meta.get("solution"):
                    continue
                task, check = find(meta["grade_id"])
                assert task is not None, f"{nb_path.name}: test cell {meta['grade_id']} names no check"
                if "BEGIN HIDDEN TESTS" in cell.source:
                    body = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
                    lines = [ln for ln in body.strip().splitlines() if ln.strip()]
                    assert lines == ["from rnncourse.grading import grade",
                                     f'grade("{meta["grade_id"]}", {task.name})'], (nb_path.name, lines)
                else:
                    assert check == "visible", f"{nb_path.name}: {meta['grade_id']} has no hidden block"


def test_every_visible_cell_first_runs_the_graders_public_cases_and_test_cells_leave_no_names():
    """What passes in the notebook passes when graded, and the reverse: a visible cell starts with the
    grader's own check of it, whose verdict is the cell's; its examples follow inside ``examples_of``,
    which reports a failing example without failing the cell. The setup cell makes what test cells
    define vanish, as it does in the jail."""
    for assignment in ASSIGNMENTS:
        for folder in (SOLUTIONS, EXERCISES):
            for nb_path in notebooks(assignment, folder):
                cells = read(nb_path).cells
                setup = [c for c in cells if nbgrader_meta(c).get("grade_id") == "setup"]
                assert setup and "\nforget_test_cell_names()" in setup[0].source, \
                    f"{nb_path.name}: the setup cell does not call forget_test_cell_names()"
                for cell in cells:
                    gid = nbgrader_meta(cell).get("grade_id", "")
                    if gid.endswith("_visible") and not nbgrader_meta(cell).get("solution"):
                        fn = gid[:-len("_visible")]
                        code = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.startswith("#")]
                        assert code[:2] == [f'grade("{gid}", {fn})', f'with examples_of("{fn}"):'], \
                            f"{nb_path.name}: {gid} does not start with the grader's check of it, then its examples"
                        assert all(ln.startswith("    ") for ln in code[2:]), \
                            f"{nb_path.name}: {gid} has code after its examples, which could fail the cell"


def test_the_grading_rules_are_stated_identically_in_every_introduction_and_the_preface():
    rules = normalise((ROOT / "rnncourse" / "grading" / "RULES.md").read_text())
    for assignment in ASSIGNMENTS:
        for folder in (SOLUTIONS, EXERCISES):
            for nb_path in notebooks(assignment, folder):
                intro = normalise(read(nb_path).cells[0].source)
                assert rules in intro, f"{nb_path}: the introduction does not state the rules of RULES.md"
    assert rules in normalise((ROOT / "book" / "00_preface.md").read_text()), "the preface does not state the rules"


def test_solution_and_release_define_the_same_functions():
    def names(funcs):
        return sorted((a, nb, node.name) for a, nb, _, node in funcs)

    assert names(SOURCE_FUNCS) == names(RELEASE_FUNCS)
    assert SOURCE_FUNCS, "no graded functions found"


def test_every_introduction_states_the_time_and_what_the_student_can_do_afterwards():
    for assignment in ASSIGNMENTS:
        for nb_path in notebooks(assignment):
            intro = read(nb_path).cells[0].source
            assert "**Estimated time:**" in intro, f"{nb_path.name}: no estimated time"
            assert "**Afterwards you can**" in intro, f"{nb_path.name}: the introduction does not say what a "\
                                                      "student can do afterwards"


def test_each_task_heading_and_the_introductions_table_give_the_points_of_its_test_cells():
    heading = re.compile(r"## Task (\d+): .*\((\d+) points?\)")
    for assignment in ASSIGNMENTS:
        for nb_path in notebooks(assignment, SOLUTIONS):
            cells = read(nb_path).cells
            table = {int(m.group(1)): int(m.group(2))
                     for m in re.finditer(r"^\| (\d+) \| `\w+`[^|]*\| (\d+) \|$", cells[0].source, re.M)}
            headed, counted, task = {}, {}, None
            for cell in cells:
                m = heading.match(cell.source) if cell.cell_type == "markdown" else None
                if m:
                    task = int(m.group(1))
                    headed[task], counted[task] = int(m.group(2)), 0
                meta = nbgrader_meta(cell)
                if meta.get("grade") and task is not None:
                    counted[task] += float(meta.get("points") or 0)
            assert headed and headed == counted, f"{nb_path.name}: headings {headed}, test cells {counted}"
            assert table == headed, f"{nb_path.name}: the introduction's table {table}, headings {headed}"


def test_the_preface_share_of_points_outside_the_visible_cells_is_what_the_notebooks_give():
    """The preface says "about two thirds of the points come from the other test cells"."""
    assert "About two thirds of the points come from the other test" in normalise(
        (ROOT / "book" / "00_preface.md").read_text())
    visible = total = 0.0
    for assignment in ASSIGNMENTS:
        for nb_path in notebooks(assignment, SOLUTIONS):
            for cell in read(nb_path).cells:
                meta = nbgrader_meta(cell)
                if meta.get("grade"):
                    total += float(meta.get("points") or 0)
                    visible += float(meta.get("points") or 0) * meta.get("grade_id", "").endswith("_visible")
    assert 0.6 <= 1 - visible / total <= 0.72, f"{visible} of {total} points are visible"


def test_the_instructors_chapter_quotes_the_jails_real_limits():
    """The chapter has no code cells, so its figures for the jail are checked against the code here."""
    import re

    from rnncourse.grading.jail import JailLimits

    text = normalise((ROOT / "book" / "for_instructors.md").read_text())
    config = (ROOT / "nbgrader_config.py").read_text()
    cell = int(re.search(r"c\.VerifiedExecute\.cell_timeout = (\d+)", config).group(1))
    call = int(re.search(r"c\.VerifiedExecute\.call_timeout = (\d+)", config).group(1))
    limits = JailLimits()
    quoted = {
        f"per cell ({cell} s) and per call ({call} s)": "the timeouts of nbgrader_config.py",
        f"a private {limits.tmp_bytes // 2**20} MB `/tmp`": "JailLimits.tmp_bytes",
        f"{limits.memory_bytes // 2**30} GiB of address space": "JailLimits.memory_bytes",
        f"{limits.processes} processes and threads": "JailLimits.processes",
        f"{limits.output_bytes // 2**20} MB of data": "JailLimits.output_bytes",
        f"One reply may weigh {limits.frame_bytes // 2**20} MB": "JailLimits.frame_bytes",
        f"has {limits.submission_timeout:.0f} s in all": "JailLimits.submission_timeout",
        f"a {limits.shm_bytes // 2**20} MB `/dev/shm`": "JailLimits.shm_bytes",
        f"files of at most {limits.tmp_bytes // 2**20} MB, {limits.open_files} open": "JailLimits",
    }
    for phrase, source in quoted.items():
        assert phrase in text, f"book/for_instructors.md should say {phrase!r} ({source})"


def test_every_chapter_hides_its_setup_cell_in_the_site():
    """A reader's first cell should teach: the setup (imports, glue's fallback, a timer) is removed
    from the page by its tag, and stays in the notebook a reader downloads."""
    import re

    for page in sorted((ROOT / "book").glob("[0-9][0-9]_*.md")) + sorted((ROOT / "book").glob("appendix_*.md")):
        cells = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", page.read_text(), flags=re.S)
        if not cells:
            continue
        first = cells[0]
        assert re.match(r"(:tags: \[[^\]]*remove-input|---\n.*?tags: \[[^\]]*remove-input)", first, flags=re.S), \
            f"{page.name}: its first code cell (the setup) is not tagged remove-input"
        assert "import rnncourse" in first, f"{page.name}: the first code cell is not the setup cell"
