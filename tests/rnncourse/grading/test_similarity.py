"""rnncourse.grading.similarity: answers copied from the reference or the solutions, for the instructor.

Each test writes one submission (a released notebook with some answer cells
replaced) into a temporary folder and reads what ``flag_copies`` says about it,
against the published solution notebook.
"""

from __future__ import annotations

import ast
import inspect
import textwrap

import nbformat
import numpy as np
import pytest

from rnncourse import esn, rnn
from rnncourse.grading import similarity
from rnncourse.grading.chapters import TASKS
from rnncourse.grading.notebooks import filled_release, meta
from support import EXERCISES, SOLUTIONS, read

ESN = "04_leaky_esn"


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
                               "rnncourse.esn_forecast")
    assert "similarity 1.00" in flags[0]


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
    # Long enough to be judged (a short function would pass unflagged for that reason alone).
    _, size = similarity.similarity(HONEST_ESN_FORECAST, inspect.getsource(esn.esn_forecast))
    assert size >= similarity.MIN_TOKENS
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


def test_short_functions_are_never_flagged(tmp_path):
    """Copies of short references and solutions are alike because the task is: they are not listed."""
    short = [n for n in ("rnn_step_forward", "many_to_one_forward")
             if similarity.similarity(inspect.getsource(TASKS[n].reference),
                                      inspect.getsource(TASKS[n].reference))[1] < similarity.MIN_TOKENS]
    assert short == ["rnn_step_forward", "many_to_one_forward"]
    verbatim = {n: inspect.getsource(getattr(rnn, n)) for n in short}
    assert about(submit(tmp_path, "01_rnn_forward", verbatim, fill=True), "rnn_step_forward") == []
    # The whole published solution, copied: only the long functions may be listed.
    flags = submit(tmp_path, "01_rnn_forward", fill=True)
    for name in short:
        assert about(flags, name) == [], flags


def test_similarity_is_one_for_the_same_code_and_counts_tokens():
    source = inspect.getsource(esn.esn_forecast)
    ratio, size = similarity.similarity(source, source)
    assert ratio == 1.0 and size == len(similarity.normalised_tokens(source))
    assert similarity.normalised_tokens("def f(a):\n    return a + 1\n") == \
        similarity.normalised_tokens("def g(b):\n    '''doc'''\n    return b + 2\n")
