"""rnncourse.grading.similarity: answers copied from the reference or the solutions, for the instructor.

The first tests write one submission (a released notebook with some answer cells replaced) into a
temporary folder and read what ``flag_copies`` says about it, against the published solution
notebook.

The rest measure the report on the copy corpus (``copy_corpus/<function>/independent_NN.py``,
independent correct implementations written from the tasks' equations) and on disguised copies
of the reference and of the published solution made by ``copy_corpus.disguise``:

- every corpus implementation is correct (the task's visible checks) and every graded function
  has at least eight;
- the committed calibration is what the corpus gives now;
- no independent implementation is listed, each judged against a null of the *other*
  implementations of its function (it must not vouch for itself), neither alone nor in a
  notebook of independent answers;
- at least 90% of the disguised copies of sources long enough to tell are listed on their own,
  and at least 90% of all disguised copies when a whole notebook is copied.

The figures are printed (``pytest -s``) and recorded as properties of the test (``--junitxml``).
"""

from __future__ import annotations

import ast
import inspect
import json
import textwrap
from collections import defaultdict
from functools import cache

import nbformat
import numpy as np
import pytest

from copy_corpus import CORPUS, corpus, functions
from copy_corpus.disguise import VARIANTS, disguises
from rnncourse import esn, rnn
from rnncourse.grading import simulate, similarity, spec
from rnncourse.grading.chapters import TASKS
from rnncourse.grading.notebooks import filled_release, meta, strip_solution_markers
from support import EXERCISES, SOLUTIONS, read

ESN = "04_leaky_esn"
MIN_PER_FUNCTION = 8
BAR = 0.9  # the least share of disguised copies that must be listed


def submit(tmp_path, assignment, answers=None, extra_cells=(), fill=False):
    """Flags for the release of ``assignment`` (filled from the solutions if ``fill``) with the answer
    cells named in ``answers`` replaced and ``extra_cells`` appended."""
    release = read(EXERCISES / assignment / f"{assignment}.ipynb")
    if fill:
        release = filled_release(release, read(SOLUTIONS / assignment / f"{assignment}.ipynb"))
    for grade_id, source in (answers or {}).items():
        cells = [c for c in release.cells if meta(c).get("solution") and meta(c).get("grade_id") == grade_id]
        assert len(cells) == 1, grade_id
        cells[0].source = source
    release.cells.extend(nbformat.v4.new_code_cell(s) for s in extra_cells)
    folder = tmp_path / "submission"
    folder.mkdir(exist_ok=True)
    nbformat.write(release, str(folder / f"{assignment}.ipynb"))
    return similarity.flag_copies(folder, SOLUTIONS / assignment)


def about(flags, name):
    return [f for f in flags if f"answer {name} " in f]


def test_untouched_release_is_not_flagged(tmp_path):
    assert submit(tmp_path, ESN) == []


def test_verbatim_copy_of_the_reference_is_flagged(tmp_path):
    flags = submit(tmp_path, ESN, {"esn_forecast": inspect.getsource(esn.esn_forecast)})
    assert len(flags) == 1, flags
    assert flags[0].startswith(f"{ESN}.ipynb: answer esn_forecast matches the reference "
                               "rnncourse.esn_forecast (similarity 1.00: 10 of its 10 statements, after "
                               "renaming; 0 of 8 independent solutions reach 1.00, the closest 0."), flags[0]


class _Rename(ast.NodeTransformer):
    """Renames every argument and local variable of a function (not the globals it calls)."""

    def __init__(self, local_names):
        self.names = {n: f"renamed_{i}" for i, n in enumerate(sorted(local_names))}

    def visit_Name(self, node):
        node.id = self.names.get(node.id, node.id)
        return node

    def visit_arg(self, node):
        node.arg = self.names.get(node.arg, node.arg)
        return node


def _renamed(source):
    tree = ast.parse(textwrap.dedent(source))
    fn = tree.body[0]
    local = {a.arg for a in fn.args.args}
    local |= {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return ast.unparse(_Rename(local).visit(tree)), local


def test_copy_with_every_local_name_renamed_is_still_flagged(tmp_path):
    source, renamed = _renamed(inspect.getsource(esn.esn_forecast))
    assert {"x", "T", "H", "states", "V", "c"} <= renamed
    names = {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)}
    names |= {n.arg for n in ast.walk(ast.parse(source)) if isinstance(n, ast.arg)}
    assert not names & renamed, names & renamed
    flags = submit(tmp_path, ESN, {"esn_forecast": source})
    assert len(about(flags, "esn_forecast")) == 1, flags


# An honest esn_forecast: the same mathematics, written with loops over steps and units.
HONEST_ESN_FORECAST = '''
import math


def esn_forecast(x, U, W, b, gamma, n_train, washout, mu):
    """Predict a scalar series one step ahead with an echo state network."""
    series = [float(v) for v in x]
    size = len(W)
    leak = np.ones(size) / np.asarray(gamma, dtype=float)
    state = [0.0] * size
    history = []
    for value in series:
        new_state = []
        for i in range(size):
            drive = b[i] + U[i][0] * value
            for j in range(size):
                drive += W[i][j] * state[j]
            new_state.append((1 - leak[i]) * state[i] + leak[i] * math.tanh(drive))
        state = new_state
        history.append(state + [1.0])
    gram = np.zeros((size + 1, size + 1))
    cross = np.zeros(size + 1)
    for t in range(washout, n_train - 1):
        row = np.array(history[t])
        gram += np.outer(row, row)
        cross += row * series[t + 1]
    for i in range(size):
        gram[i, i] += mu
    weights = np.linalg.solve(gram, cross)
    forecast = []
    for t in range(n_train - 1, len(series) - 1):
        forecast.append(float(np.dot(history[t], weights)))
    return np.array(forecast)
'''


def test_honest_alternative_implementation_is_right_and_not_flagged(tmp_path):
    namespace = {"np": np}
    exec(HONEST_ESN_FORECAST, namespace)
    rng = np.random.default_rng(3)
    H = 6
    args = dict(x=np.sin(np.arange(60) / 4) + 0.1 * rng.normal(size=60), U=rng.normal(0, 0.5, (H, 1)),
                W=rng.normal(0, 0.3, (H, H)), b=rng.normal(0, 0.2, H), gamma=rng.uniform(1, 3, H), n_train=45,
                washout=5, mu=1e-3)
    np.testing.assert_allclose(namespace["esn_forecast"](**args), esn.esn_forecast(**args),
                               rtol=1e-7, atol=1e-9)
    # The reference is long enough to be judged (a short one would leave the answer unlisted for that alone).
    match = similarity.similarity(HONEST_ESN_FORECAST, inspect.getsource(esn.esn_forecast))
    assert match.statements >= similarity.MIN_STATEMENTS and match.score < 0.5, match
    assert about(submit(tmp_path, ESN, {"esn_forecast": HONEST_ESN_FORECAST}), "esn_forecast") == []


def test_cell_importing_the_reference_package_is_flagged(tmp_path):
    flags = submit(tmp_path, ESN, extra_cells=["import numpy as np\nimport rnncourse.rnn"])
    assert len(flags) == 1 and "imports rnncourse.rnn (the reference package)" in flags[0], flags


def test_answer_importing_from_the_reference_is_flagged(tmp_path):
    flags = submit(tmp_path, ESN, {"ridge_readout": "from rnncourse.esn import ridge_readout"})
    assert any("imports rnncourse.esn" in f for f in flags), flags


@pytest.mark.parametrize("source", ["from rnncourse.gradcheck import numerical_gradient, relative_error",
                                    "import rnncourse.gradcheck",
                                    "from rnncourse.grading import assert_close"])
def test_cell_importing_the_student_tools_is_not_flagged(tmp_path, source):
    assert submit(tmp_path, ESN, extra_cells=[source]) == []


def test_cell_importing_the_tools_module_from_the_package_is_not_flagged(tmp_path):
    """BUG (exposed, not fixed): `from rnncourse import gradcheck` imports the student tool, and works
    in the jail, but is listed as importing the reference package (the module checked is `rnncourse`)."""
    assert submit(tmp_path, ESN, extra_cells=["from rnncourse import gradcheck"]) == []


def test_short_functions_are_never_listed_on_their_own(tmp_path):
    """Copies of short references and solutions are alike because the task is: alone, they are not listed.

    ``rnn_forward``'s solution is the plain loop that honest students wrote too."""
    short = ("rnn_step_forward", "many_to_one_forward", "rnn_forward")
    solution = {n: _solution_sources()[n][1] for n in short}
    for name, source in solution.items():
        assert len(similarity.normalised_statements(source)) < similarity.MIN_STATEMENTS, name
    assert submit(tmp_path, "01_rnn_forward", solution) == []
    reference = {n: inspect.getsource(getattr(rnn, n)) for n in ("rnn_step_forward", "many_to_one_forward")}
    for name, source in reference.items():
        assert len(similarity.normalised_statements(source)) < similarity.MIN_STATEMENTS, name
    assert submit(tmp_path, "01_rnn_forward", reference) == []


def test_a_whole_notebook_copied_is_listed_with_its_short_answers_beside(tmp_path):
    """The published solution of 01 copied whole: no answer is long enough alone, the notebook is."""
    flags = submit(tmp_path, "01_rnn_forward", fill=True)
    assert flags[0].startswith("01_rnn_forward.ipynb: the notebook as a whole matches the published "
                               "solution (similarity 1.00: 21 of the 21 statements of 5 functions, after "
                               "renaming;"), flags
    names = [n for n, t in TASKS.items() if t.chapter == 1]
    for name in names:
        line = about(flags, name)
        assert len(line) == 1 and "also matches the published solution (similarity 1.00" in line[0], flags
        assert line[0].endswith("too short to tell on its own, listed with the notebook's other copies)"), \
            line
    assert len(flags) == 1 + len(names), flags


def test_normalisation_ignores_names_docstrings_order_of_operands_and_dead_code():
    plain = "def f(a, b):\n    c = a * a + b\n    return c\n"
    disguised = ('def g(x, y):\n    """doc"""\n    if False:\n        print(1)\n    unused = 3\n'
                 '    z = (y + x ** 2)  # comment\n    return z\n')
    assert similarity.normalised_statements(plain) == similarity.normalised_statements(disguised) == \
        ["v = a0 ** 2.0 + a1", "return v"]
    # arguments keep their position: swapping them is a different function
    assert similarity.normalised_statements("def f(a, b):\n    return a - b\n") != \
        similarity.normalised_statements("def f(a, b):\n    return b - a\n")
    assert similarity.similarity(disguised, plain) == similarity.Match(2, 2)


def test_a_no_op_helper_called_by_keyword_is_left_alone():
    """Only positional calls are inlined; the normalisation still ends and compares the rest."""
    source = "def f(a):\n    def same(v):\n        return v\n    b = a + 1\n    return same(v=b)\n"
    assert "v = 1.0 + a0" in similarity.normalised_statements(source)


def test_input_checks_count_as_written_and_can_be_left_out():
    checked = ('def f(x, n):\n    x = as_float_array(x, "x", 2)\n'
               '    if n < 1:\n        raise ValueError("n")\n'
               '    check_shape(x, "x", (n, n))\n    return x @ x\n')
    assert len(similarity.normalised_statements(checked)) == 5  # the raise inside the if counts too
    assert similarity.normalised_statements(checked, checks=False) == ["return a0 @ a0"]


# ------------------------------------------------------------------ the corpus and the calibration


@cache
def _solution_sources():
    """{function: (notebook path, source)} of every published solution's graded functions."""
    out = {}
    for path in sorted(SOLUTIONS.glob("[0-9][0-9]_*/*.ipynb")):
        for cell in read(path).cells:
            if meta(cell).get("solution"):
                for name, source in similarity._functions(strip_solution_markers(cell.source)).items():
                    if name in TASKS:
                        out[name] = (path, source)
    return out


def _sources(name):
    """{kind: source} of a graded function: the published solution's and the reference's."""
    solution = _solution_sources()
    return {**({"solution": solution[name][1]} if name in solution else {}),
            "reference": inspect.getsource(TASKS[name].reference)}


def _corpus_function(name, module_source):
    return similarity._functions(module_source)[name]


CORPUS_FUNCTIONS = [name for name in functions() if name in TASKS]


def test_every_corpus_folder_is_a_graded_function():
    assert set(functions()) <= set(TASKS), set(functions()) - set(TASKS)


@pytest.mark.parametrize("name", sorted(TASKS))
def test_every_graded_function_has_eight_independent_implementations(name):
    assert len(corpus(name)) >= MIN_PER_FUNCTION, f"{name}: {len(corpus(name))} in {CORPUS / name}"


def test_the_committed_calibration_is_what_the_corpus_gives_now():
    committed = json.loads(similarity.CALIBRATION.read_text())
    assert committed == similarity.calibrate(similarity.read_corpus(CORPUS)), (
        "the corpus or the normalisation changed: run `python -m rnncourse.grading.similarity calibrate "
        "tests/rnncourse/grading/copy_corpus` and commit rnncourse/grading/similarity_calibration.json")
    assert set(committed["functions"]) == set(CORPUS_FUNCTIONS)


# ------------------------------------------------------------------ disguised copies


@cache
def _disguised():
    """{(function, kind): [Disguise]} for every corpus function and both sources."""
    return {(name, kind): disguises(source, f"{name}/{kind}")
            for name in CORPUS_FUNCTIONS for kind, source in _sources(name).items()}


@cache
def _namespace(name, kind):
    """Where a copy of ``name``'s source runs: the reference's module, or the solution notebook's cells."""
    if kind == "reference":
        return dict(vars(inspect.getmodule(TASKS[name].reference)))
    return _notebook_namespace(_solution_sources()[name][0])


@cache
def _notebook_namespace(path):
    namespace = {}
    for cell in read(path).cells:
        if cell.cell_type == "code" and (meta(cell).get("grade_id") == "setup" or meta(cell).get("solution")):
            where = f"{path.name}:{meta(cell).get('grade_id')}"
            exec(compile(strip_solution_markers(cell.source), where, "exec"), namespace)
    return namespace


@pytest.mark.parametrize("name", CORPUS_FUNCTIONS)
def test_disguised_copies_compute_what_their_source_computes(name):
    """The disguises change the text only: each passes the task's visible checks where its source runs."""
    task = TASKS[name]
    probes = spec.plan(task, "visible", spec.public_seed(name))
    for kind in _sources(name):
        for d in _disguised()[(name, kind)]:
            namespace = dict(_namespace(name, kind))
            namespace.update({new: namespace[old] for new, old in d.helpers.items()})
            exec(compile(d.source, f"{name}-{kind}-{d.variant}", "exec"), namespace)
            for probe in probes:
                positional = spec.positional_names(task, probe.kwargs)
                outcome = spec.run_in_process(namespace[name], probe, positional)
                assert spec.judge_outcome(probe, outcome) is None, (kind, d.variant, d.source)


def test_disguises_differ_from_their_source():
    for (name, kind), copies in _disguised().items():
        assert len(copies) >= len(VARIANTS) - 1
        for d in copies:
            assert d.source.strip() != _sources(name)[kind].strip(), (name, kind, d.variant)


# ------------------------------------------------------------------ the goal: figures


@cache
def _figures():
    """Every verdict the goal's tests count, computed once."""
    calibration = similarity.load_calibration()
    answers = {name: [(path.name, _corpus_function(name, source)) for path, source in corpus(name)]
               for name in CORPUS_FUNCTIONS}
    independent = {}  # (name, id) -> verdicts, judged against the other implementations only
    for name in CORPUS_FUNCTIONS:
        for key, answer in answers[name]:
            independent[(name, key)] = similarity.judge_answers(
                {name: answer}, {name: _sources(name)}, calibration, exclude={name: key})
    alone = {}  # (name, kind, variant) -> verdict
    for (name, kind), copies in _disguised().items():
        for d in copies:
            answer = _corpus_function(name, d.source)
            alone[(name, kind, d.variant)] = similarity.judge_answers(
                {name: answer}, {name: {kind: _sources(name)[kind]}}, calibration)[0]
    by_chapter = defaultdict(list)
    for name in CORPUS_FUNCTIONS:
        by_chapter[TASKS[name].chapter].append(name)
    notebooks = {}  # (chapter, kind, variant) -> verdicts on a notebook of disguised copies only
    for chapter, names in by_chapter.items():
        for kind in similarity.SOURCES:
            for variant in VARIANTS:
                copied = {}
                for name in names:
                    if (name, kind) in _disguised():
                        made = {d.variant: d for d in _disguised()[(name, kind)]}
                        copied[name] = _corpus_function(name, made.get(variant, made["renamed"]).source)
                notebooks[(chapter, kind, variant)] = similarity.judge_answers(
                    copied, {n: {kind: _sources(n)[kind]} for n in copied}, calibration)
    honest_notebooks = {}  # (chapter, i) -> verdicts of a notebook of the i-th implementations
    for chapter, names in by_chapter.items():
        for i in range(min(len(answers[n]) for n in names)):
            chosen = {n: answers[n][i] for n in names}
            honest_notebooks[(chapter, i)] = similarity.judge_answers(
                {n: a for n, (_, a) in chosen.items()}, {n: _sources(n) for n in names}, calibration,
                exclude={n: key for n, (key, _) in chosen.items()})
    return independent, alone, notebooks, honest_notebooks, by_chapter


def _record(record_property, key, text):
    print(f"\n{key}: {text}")
    record_property(key, text)


def test_no_independent_implementation_is_listed(record_property):
    independent, *_ = _figures()
    listed = {k: [v.line() for v in vs if v.listed] for k, vs in independent.items()
              if any(v.listed for v in vs)}
    _record(record_property, "independent implementations listed", f"{len(listed)} of {len(independent)}")
    closest = max((v.match.score - v.threshold, k) for k, vs in independent.items() for v in vs
                  if v.threshold <= 1)
    print(f"closest to being listed: {closest[1]} ({closest[0]:+.3f} from the threshold)")
    assert not listed, listed


def test_no_notebook_of_independent_answers_is_listed(record_property):
    *_, honest_notebooks, by_chapter = _figures()
    listed = {k: [v.line() for v in vs if v.listed] for k, vs in honest_notebooks.items()
              if any(v.listed for v in vs)}
    _record(record_property, "notebooks of independent answers with a line",
            f"{len(listed)} of {len(honest_notebooks)}")
    assert not listed, listed


def test_no_notebook_of_the_most_alike_independent_answers_is_listed():
    """The hardest honest notebook: for each function, the independent implementation closest to the
    source (each judged against the others only)."""
    calibration = similarity.load_calibration()
    *_, by_chapter = _figures()
    for chapter, names in by_chapter.items():
        for kind in similarity.SOURCES:
            chosen = {}
            for name in names:
                if kind not in _sources(name):
                    continue
                source = {kind: _sources(name)[kind]}
                chosen[name] = max(((path.name, _corpus_function(name, text)) for path, text in corpus(name)),
                                   key=lambda item: similarity.judge_answers({name: item[1]}, {name: source},
                                                                             calibration, {name: item[0]})[0]
                                   .match.score)
            verdicts = similarity.judge_answers({n: a for n, (_, a) in chosen.items()},
                                                {n: {kind: _sources(n)[kind]} for n in chosen}, calibration,
                                                exclude={n: key for n, (key, _) in chosen.items()})
            assert not any(v.listed for v in verdicts), [v.line() for v in verdicts if v.listed]


def test_disguised_copies_of_sources_long_enough_are_listed_on_their_own(record_property):
    _, alone, _, _, by_chapter = _figures()
    long_enough = {k: v for k, v in alone.items() if v.threshold <= 1}
    listed = [k for k, v in long_enough.items() if v.listed == "alone"]
    everything = sum(v.listed == "alone" for v in alone.values())
    _record(record_property, "disguised copies listed alone, of sources long enough to tell",
            f"{len(listed)} of {len(long_enough)}")
    _record(record_property, "disguised copies listed alone, of all sources", f"{everything} of {len(alone)}")
    for chapter, names in sorted(by_chapter.items()):
        mine = [v for (n, _, _), v in alone.items() if n in names]
        print(f"  chapter {chapter}: {sum(v.listed == 'alone' for v in mine)} of {len(mine)} listed alone")
    missed = sorted({(k[0], k[1]) for k, v in long_enough.items() if v.listed != "alone"})
    assert len(listed) >= BAR * len(long_enough), missed


def test_disguised_copies_are_listed_when_the_notebook_is_copied(record_property):
    _, _, notebooks, _, by_chapter = _figures()
    total = sum(len(vs) for vs in notebooks.values())
    listed = sum(1 for vs in notebooks.values() for v in vs if v.listed)
    _record(record_property, "disguised copies listed, every answer of the notebook copied",
            f"{listed} of {total}")
    for chapter in sorted(by_chapter):
        mine = [v for (c, _, _), vs in notebooks.items() if c == chapter for v in vs]
        print(f"  chapter {chapter}: {sum(1 for v in mine if v.listed)} of {len(mine)}")
    missed = sorted({(c, kind, v.name) for (c, kind, _), vs in notebooks.items() for v in vs if not v.listed})
    assert listed >= BAR * total, missed


@pytest.mark.parametrize("assignment", sorted(p.name for p in SOLUTIONS.glob("[0-9][0-9]_*")))
def test_simulated_clean_submissions_are_reported_only_as_copies_of_the_solution(tmp_path, assignment):
    """What the batch tests of the grader demand of the report (tests/test_grading_security.py), here
    without nbgrader: work built from the published solution is at most reported as matching it."""
    clean = [k for k in simulate.KINDS
             if k.name in ("correct", "student_style", "warnings", "partial", "empty")]
    for kind in clean:
        folder = tmp_path / kind.name
        folder.mkdir()
        for source_path in sorted((SOLUTIONS / assignment).glob("*.ipynb")):
            release = read(EXERCISES / assignment / source_path.name)
            for filename, text in simulate.build(kind, release, read(source_path), source_path.name).items():
                (folder / filename).write_text(text)
        for line in similarity.flag_copies(folder, SOLUTIONS / assignment):
            assert "matches the published solution" in line, (kind.name, line)


# ------------------------------------------------------------------ the rule used before, and the chapter


def _previous_rule_tokens(function_source):
    """The token sequence of the rule used before this report: every name, argument and constant one
    placeholder, the docstring dropped, the nodes in breadth-first order."""

    class Normalise(ast.NodeTransformer):
        def visit_FunctionDef(self, node):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                body = body[1:] or [ast.Pass()]
            node.name, node.body, node.decorator_list, node.returns = "_", body, [], None
            self.generic_visit(node)
            return node

        def visit_Name(self, node):
            return ast.copy_location(ast.Name(id="_", ctx=node.ctx), node)

        def visit_arg(self, node):
            return ast.copy_location(ast.arg(arg="_", annotation=None), node)

        def visit_Constant(self, node):
            return ast.copy_location(ast.Constant(value=0 if not isinstance(node.value, str) else ""), node)

    tree = Normalise().visit(ast.parse(textwrap.dedent(function_source)))
    tokens = []
    for node in ast.walk(tree):
        tokens.append(type(node).__name__)
        if isinstance(node, ast.Attribute):
            tokens.append(node.attr)
    return tokens


def _previous_rule_lists(answer, source):
    """The rule used before: a sequence-matcher ratio of at least 0.9 on functions of 80 tokens or more."""
    import difflib

    a, b = _previous_rule_tokens(answer), _previous_rule_tokens(source)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    # quick_ratio bounds ratio from above: most pairs are decided without the slow exact ratio
    return min(len(a), len(b)) >= 80 and matcher.quick_ratio() >= 0.9 and matcher.ratio() >= 0.9


@cache
def _previous_rule_figures():
    independent = sum(any(_previous_rule_lists(_corpus_function(name, text), source)
                          for source in _sources(name).values())
                      for name in CORPUS_FUNCTIONS for _, text in corpus(name))
    copies = sum(_previous_rule_lists(_corpus_function(name, d.source), _sources(name)[kind])
                 for (name, kind), made in _disguised().items() for d in made)
    return independent, copies


def test_the_rule_used_before_listed_independent_work(record_property):
    """Why the report changed: the token-sequence ratio listed honest implementations of short functions."""
    independent, copies = _previous_rule_figures()
    _record(record_property, "the rule used before: independent implementations listed",
            f"{independent} of {sum(len(corpus(n)) for n in CORPUS_FUNCTIONS)}")
    _record(record_property, "the rule used before: disguised copies listed",
            f"{copies} of {sum(len(m) for m in _disguised().values())}")
    assert independent > 0


def test_the_instructors_chapter_quotes_the_rule_and_these_figures():
    """book/for_instructors.md describes the report with its constants and the figures measured here."""
    text = " ".join((SOLUTIONS.parent / "book" / "for_instructors.md").read_text().split())
    independent, alone, notebooks, _, _ = _figures()
    long_enough = [v for v in alone.values() if v.threshold <= 1]
    listed_alone = sum(v.listed == "alone" for v in alone.values())
    in_notebooks = [v for vs in notebooks.values() for v in vs]
    before_independent, before_copies = _previous_rule_figures()
    phrases = [
        f"its source has at least {similarity.MIN_STATEMENTS} statements",
        f"holds at least {similarity.FLOOR:.2f} of them and {similarity.MARGIN:.2f} more than the closest",
        f"None of the {len(independent)} independent implementations is listed",
        f"listed on their own in {sum(v.listed == 'alone' for v in long_enough)} of the {len(long_enough)} "
        f"cases whose source is long enough, {listed_alone} of all {len(alone)}",
        f"in {sum(1 for v in in_notebooks if v.listed)} of {len(in_notebooks)} cases when every answer",
        f"listed {before_independent} of the {len(independent)} independent implementations and "
        f"{before_copies} of the {len(alone)} copies",
    ]
    for phrase in phrases:
        assert phrase in text, f"book/for_instructors.md should say {phrase!r}"


@pytest.mark.parametrize("terms", [500, 5000])
def test_an_answer_nested_too_deeply_is_not_compared_and_stops_nothing(tmp_path, terms):
    """A sum of thousands of terms: too deep for Python's recursion (to parse, or to normalise); the
    other answers of the notebook are still compared."""
    deep = "def esn_forecast(x, U, W, b, gamma, n_train, washout, mu):\n    return " + "+".join(["x"] * terms)
    copied = _solution_sources()["leaky_rnn_backward"][1]
    flags = submit(tmp_path, ESN, {"esn_forecast": deep, "leaky_rnn_backward": copied})
    assert about(flags, "esn_forecast") == [] and len(about(flags, "leaky_rnn_backward")) == 1, flags
