"""What a visible test cell says in the notebook is what the grader decides for that cell.

A visible test cell starts with ``grade("<function>_visible", <function>)``, which runs the very
public cases the grader scores the cell on; test cells run in no jail, so what they define is
undone when they end (``forget_test_cell_names``), in the notebook as when grading.

For every assignment, the released notebook is filled with the correct answers and then each task,
in turn, gets one *near miss*: a mistake that is almost right and that the two sides could judge
differently if the notebook and the grader did not share their cases and their namespace:

- ``squeeze``: the result squeezed (a case with N = 1 or T = 1 loses an axis);
- ``list``: the arrays of the result returned as lists;
- ``float32``: the computation done in float32 (the inputs cast first);
- ``in_place``: the first input array changed after the result is computed;
- ``test_helper``: the function uses a name that only an earlier visible test cell defines.

The notebook is executed in a kernel (the notebook's verdict: does each visible cell raise?) and
graded in the jail (the grader's verdict: does each visible cell get its points?); the two must
agree on every visible cell, including those of tasks that call a near-missed function.
"""

from __future__ import annotations

import ast
import os

import pytest

from rnncourse.grading.chapters import TASKS
from rnncourse.grading.notebooks import filled_release, meta, top_level_names
from rnncourse.grading.verify import grade_notebook
from support import ASSIGNMENTS, EXERCISES, ROOT, SOLUTIONS, jupyter_env, read

pytestmark = pytest.mark.slow

KINDS = ("squeeze", "list", "float32", "in_place", "test_helper")

_WRAPPERS = {
    "squeeze": "    out = _{fn}_exact(*args, **kwargs)\n"
               "    if isinstance(out, tuple):\n"
               "        return tuple(np.squeeze(o) if isinstance(o, np.ndarray) else o for o in out)\n"
               "    return np.squeeze(out) if isinstance(out, np.ndarray) else out\n",
    "list": "    out = _{fn}_exact(*args, **kwargs)\n"
            "    if isinstance(out, tuple):\n"
            "        return tuple(o.tolist() if isinstance(o, np.ndarray) else o for o in out)\n"
            "    return out.tolist() if isinstance(out, np.ndarray) else out\n",
    "float32": "    def single(v):\n"
               "        if isinstance(v, np.ndarray) and v.dtype == np.float64:\n"
               "            return v.astype(np.float32)\n"
               "        return {{k: single(x) for k, x in v.items()}} if isinstance(v, dict) else v\n"
               "    return _{fn}_exact(*[single(a) for a in args], **{{k: single(v) for k, v in kwargs.items()}})\n",
    "in_place": "    out = _{fn}_exact(*args, **kwargs)\n"
                "    for i, a in enumerate(args):\n"
                "        if i not in {mutable} and isinstance(a, np.ndarray) and a.dtype == np.float64 and a.size:\n"
                "            a += 1.0\n"
                "            break\n"
                "    return out\n",
    "test_helper": "    {helper}  # a name that only an earlier test cell defines\n"
                   "    return _{fn}_exact(*args, **kwargs)\n",
}


def near_miss_notebook(assignment):
    """The filled release with one near miss per task, and {task: kind}."""
    name = f"{assignment}.ipynb"
    nb = filled_release(read(EXERCISES / assignment / name), read(SOLUTIONS / assignment / name))
    answers = [c for c in nb.cells if meta(c).get("solution")]
    answer_names, kinds = set(), {}
    for cell in nb.cells:
        m = meta(cell)
        if cell.cell_type == "code" and not (m.get("grade") and not m.get("solution")):
            answer_names |= top_level_names(cell.source)
    for i, cell in enumerate(answers):
        fn = meta(cell)["grade_id"]
        kind = KINDS[i % len(KINDS)]
        earlier = [n for n in _earlier_test_names(nb, cell) if n not in answer_names]
        if kind == "test_helper" and not earlier:
            kind = "squeeze"
        mutable = tuple(i for i, p in enumerate(_parameters(cell.source, fn)) if p in TASKS[fn].mutates)
        body = _WRAPPERS[kind].format(fn=fn, mutable=mutable, helper=earlier[-1] if earlier else "")
        cell.source += f"\n\n\n_{fn}_exact = {fn}\n\n\ndef {fn}(*args, **kwargs):\n{body}"
        kinds[fn] = kind
    return nb, kinds


def _earlier_test_names(nb, answer_cell):
    names = []
    for cell in nb.cells:
        if cell is answer_cell:
            return names
        m = meta(cell)
        if cell.cell_type == "code" and m.get("grade") and not m.get("solution"):
            names += sorted(top_level_names(cell.source))
    return names


def _parameters(source, fn):
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == fn:
            return [a.arg for a in node.args.args]
    raise AssertionError(f"no def {fn} in its answer cell")


def notebook_verdicts(nb, assignment):
    """{visible grade id: its error message, "" when it passed} from executing the notebook in a kernel."""
    import copy

    from nbclient import NotebookClient

    nb = copy.deepcopy(nb)
    env = jupyter_env()
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in [env.get("PYTHONPATH")] if p])
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(EXERCISES / assignment)}})
    with client.setup_kernel(env=env):
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, i)
    return {meta(c)["grade_id"]: " ".join(o.evalue for o in c.outputs if o.output_type == "error")
            for c in nb.cells if meta(c).get("grade_id", "").endswith("_visible")}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_near_misses_get_the_same_visible_verdict_in_the_notebook_and_from_the_grader(assignment):
    nb, kinds = near_miss_notebook(assignment)
    assert set(KINDS) - {"test_helper"} <= set(kinds.values()) or len(kinds) < len(KINDS), kinds
    errors = notebook_verdicts(nb, assignment)
    in_notebook = {g: not e for g, e in errors.items()}
    result = grade_notebook(nb, "a secret for this test", assignment, "near-misses", f"{assignment}.ipynb",
                            with_advice=False)
    assert result.sandboxed, f"{assignment}: graded outside the jail ({result.backend})"
    graded = {g: v.passed for g, v in result.verdicts.items() if g.endswith("_visible")}
    assert graded.keys() == in_notebook.keys()
    differ = {g: (f"notebook {'passes' if in_notebook[g] else 'fails'}, grader "
                  f"{'passes' if graded[g] else 'fails'}: {result.verdicts[g].message.splitlines()[0][:160]}")
              for g in graded if graded[g] != in_notebook[g]}
    assert not differ, f"{assignment} ({kinds}): {differ}"
    # Most near misses are mistakes (a float result has nothing to squeeze or list): the test means
    # something only if several of the tasks' own cells fail, on both sides.
    failed_own = [fn for fn in kinds if not graded[f"{fn}_visible"]]
    assert len(failed_own) >= min(3, len(kinds)), f"{assignment}: only {failed_own} of {kinds} fail"
    # Both sides say why a helper from a test cell is missing.
    for fn, kind in kinds.items():
        if kind == "test_helper":
            note = "is defined only in a test cell, and test cells do not run when grading"
            assert note in " ".join(result.verdicts[f"{fn}_visible"].message.split()), result.verdicts[f"{fn}_visible"]
            assert note in " ".join(errors[f"{fn}_visible"].split()), errors[f"{fn}_visible"]
