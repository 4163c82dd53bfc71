"""Answers that look copied from the reference or the published solution, for an instructor to read.

The reference implementation and the solutions are public (an open course ships them), so a
student can copy instead of deriving. The jail makes *calling* the reference impossible; copying
its text is a matter for a human. This module lists, per submission, cells that import the
reference package, and answers that are closer to the reference function in ``rnncourse`` or to
the function of the published solution notebook than independent work comes. It changes no score.

**Similarity.** Both functions are normalised: docstrings, ``pass``, ``if False:`` blocks, code
after a ``return``, assignments never read, nested helpers never called and no-op helpers
(``def same(v): return v``) are dropped; arguments become their position, every local name one
placeholder, every other name but numpy's, math's and the builtins another (a notebook's helpers
may have any name); numbers are compared as floats, strings not at all; ``a += b`` reads
``a = a + b``, ``x * x`` reads ``x ** 2``, and the operands of ``+`` and ``*`` are put in one
order. The similarity is the fraction of the source's statements (a compound statement counts by
its header) found in the answer, in any order: 1.00 when the answer holds every statement of the
source, whatever else it holds. Renaming, reordering, comments, parentheses and dead code change
nothing. Each function is read twice, as written and without its input checks (``if ...: raise``,
``assert``, ``x = as_float_array(x, ...)``): the reference validates its arguments, and a copy
of it may keep or drop the checks.

**What independent work reaches.** Independent correct implementations of every graded function,
written from the tasks' equations in the styles different students use, are the corpus
(``tests/rnncourse/grading/copy_corpus``); their normalised statements are committed in
``similarity_calibration.json``, which ``python -m rnncourse.grading.similarity calibrate
tests/rnncourse/grading/copy_corpus`` rewrites. An answer is listed

- *on its own* when its source has at least ``MIN_STATEMENTS`` statements and the answer holds at
  least ``FLOOR`` of them and ``MARGIN`` more than the closest independent implementation does.
  A shorter source is too short to tell: one equation written out, a plain loop over the steps,
  a handful of one-line gradients come out alike because the task is (three honest students wrote
  ``rnn_forward`` as the published solution's plain loop, and an earlier version of this report
  listed them as copies);
- *with the notebook* when all the graded answers of a notebook, taken as one function, hold at
  least ``FLOOR`` of the source's statements and ``MARGIN`` more than an independent notebook
  could even if it were as close as the closest independent implementation of every function at
  once. The answers that reach ``FLOOR`` are then listed beside, marked too short to tell alone;
  the same happens beside an answer listed on its own.

``tests/rnncourse/grading/test_similarity.py`` measures this on the corpus: no independent
implementation is listed, each judged against the others only, alone or in a notebook of
independent answers, while disguised copies (renamed, reordered, dead code, comments, operands
swapped, checks removed) are listed when their source is long enough and, when a whole notebook is
copied, nearly always. The token-sequence ratio used before (listed at 0.9) listed independent
implementations of short functions and missed copies with dead code added.
"""

from __future__ import annotations

import ast
import builtins
import functools
import inspect
import json
import textwrap
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .jail import reference_imports
from .notebooks import meta, strip_solution_markers

__all__ = ["normalised_statements", "similarity", "Match", "Verdict", "NotebookVerdict", "judge_answers",
           "judge_notebook", "notebook_verdicts", "flag_copies", "calibrate", "read_corpus",
           "load_calibration", "SOURCES", "READINGS", "CALIBRATION", "MIN_STATEMENTS", "FLOOR", "MARGIN"]

MIN_STATEMENTS = 10  # statements below which a source is too short to tell (rnn_forward's solution has 8)
FLOOR = 0.9  # the least similarity that is listed, whatever independent work reaches
MARGIN = 0.3  # how much closer than the closest independent implementation a listed answer must be
CALIBRATION = Path(__file__).with_name("similarity_calibration.json")
SOURCES = ("solution", "reference")  # the published solution first: it is what a student has in hand
# The two readings of every function (the value: are the input checks kept?).
READINGS = {"as written": True, "without input checks": False}

_KEPT_NAMES = {"np", "numpy", "math"} | set(dir(builtins))
_LOCAL, _OTHER = "v", "g"  # the placeholders of local names and of the other free names


# ------------------------------------------------------------------ normalisation


def _is_inert(stmt):
    """A statement that does nothing: a docstring or any other bare constant, or ``pass``."""
    return isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))


def _blocks(node):
    """(owner, field) of every statement list in ``node``, nested functions included.

    Statement lists hang only from statements (and ``except`` handlers), so the walk never enters an
    expression: normalising the corpus is mostly this walk.
    """
    owners = [node]
    while owners:
        owner = owners.pop()
        for field in ("body", "orelse", "finalbody"):
            block = getattr(owner, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield owner, field
                owners.extend(block)
        owners.extend(getattr(owner, "handlers", ()))


def _is_check(stmt, parameters, free):
    """An input check: ``assert``, ``if ...:`` whose body only raises, a call of a ``*check*`` helper
    for its effect, or parameters passed through a helper and assigned back (``x = as_float_array(x)``)."""
    def helper_call(node):
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in free

    if isinstance(stmt, ast.Assert):
        return True
    if isinstance(stmt, ast.If):
        return all(isinstance(s, ast.Raise) for s in stmt.body) and all(_is_check(s, parameters, free)
                                                                        for s in stmt.orelse)
    if isinstance(stmt, ast.Expr):
        return helper_call(stmt.value) and "check" in stmt.value.func.id.lower()
    if isinstance(stmt, ast.Assign) and helper_call(stmt.value):
        names = [t for target in stmt.targets
                 for t in (target.elts if isinstance(target, ast.Tuple) else [target])]
        passed = {a.id for a in stmt.value.args if isinstance(a, ast.Name)}
        return all(isinstance(t, ast.Name) and t.id in parameters and t.id in passed for t in names)
    return False


def _drop_checks(fn):
    """Drops input checks: the reference validates its arguments, an answer copied from it may not."""
    parameters = {a.arg for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs}
    bound = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    bound |= {n.name for n in ast.walk(fn) if isinstance(n, ast.FunctionDef)} | parameters
    free = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)} - bound - _KEPT_NAMES
    for owner, field in list(_blocks(fn)):
        kept = [s for s in getattr(owner, field) if not _is_check(s, parameters, free)]
        setattr(owner, field, kept or [ast.Pass()])
    return fn


def _drop_dead_code(fn):
    """Drops what never runs or never counts: docstrings, ``pass``, ``if False:`` blocks, code after a
    ``return``, assignments never read, nested functions never called, and no-op helpers
    (``def same(v): return v``), whose calls are replaced by their argument."""
    for owner, field in list(_blocks(fn)):
        kept = []
        for stmt in getattr(owner, field):
            if _is_inert(stmt):
                continue
            if isinstance(stmt, ast.If) and isinstance(stmt.test, ast.Constant) and not stmt.test.value:
                kept.extend(stmt.orelse)  # `if False:` (or `if 0:`): only its else branch can run
                continue
            kept.append(stmt)
            if isinstance(stmt, (ast.Return, ast.Raise, ast.Continue, ast.Break)):
                break  # the rest of the block never runs
        setattr(owner, field, kept or [ast.Pass()])
    while True:  # assignments never read and nested functions never used, until none is left
        loaded = Counter(n.id for n in ast.walk(fn)
                         if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load))
        changed = False
        for owner, field in list(_blocks(fn)):
            block = getattr(owner, field)
            kept = [s for s in block if not (
                (isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
                 and not loaded[s.targets[0].id])
                or (isinstance(s, ast.FunctionDef) and s is not fn and not loaded[s.name]))]
            if len(kept) != len(block):
                setattr(owner, field, kept or [ast.Pass()])
                changed = True
        if not changed:
            break
    identities = {s.name for s in ast.walk(fn) if isinstance(s, ast.FunctionDef) and s is not fn
                  and len(s.args.args) == 1 and len(s.body) == 1 and isinstance(s.body[0], ast.Return)
                  and isinstance(s.body[0].value, ast.Name) and s.body[0].value.id == s.args.args[0].arg}
    if identities:
        inliner = _InlineIdentities(identities)
        fn = inliner.visit(fn)
        if inliner.inlined:  # each round inlines a call, so this ends
            return _drop_dead_code(fn)  # the helpers may be unused now
    return fn


class _InlineIdentities(ast.NodeTransformer):
    def __init__(self, names):
        self.names, self.inlined = names, 0

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id in self.names and len(node.args) == 1 \
                and not node.keywords and not isinstance(node.args[0], ast.Starred):
            self.inlined += 1
            return node.args[0]
        return node


class _Rewrite(ast.NodeTransformer):
    """``a op= b`` as ``a = a op b``, ``x * x`` as ``x ** 2`` (before the names are replaced)."""

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        load = ast.parse(ast.unparse(node.target), mode="eval").body
        value = ast.BinOp(load, node.op, node.value)
        return ast.copy_location(ast.Assign(targets=[node.target], value=value), node)

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Mult) and ast.dump(node.left) == ast.dump(node.right):
            return ast.copy_location(ast.BinOp(node.left, ast.Pow(), ast.Constant(2)), node)
        return node


class _Placeholders(ast.NodeTransformer):
    """Arguments by position, locals as one placeholder, other free names as another."""

    def __init__(self, fn):
        self.arguments = {a.arg: f"a{i}" for i, a in enumerate(fn.args.posonlyargs + fn.args.args)}
        self.local = {n.id for n in ast.walk(fn)
                      if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
        self.local |= {n.arg for n in ast.walk(fn) if isinstance(n, ast.arg)}
        self.local |= {n.name for n in ast.walk(fn) if isinstance(n, ast.FunctionDef)}

    def _name(self, name):
        if name in self.arguments:
            return self.arguments[name]
        if name in self.local:
            return _LOCAL
        return name if name in _KEPT_NAMES else _OTHER

    def visit_Name(self, node):
        return ast.copy_location(ast.Name(id=self._name(node.id), ctx=node.ctx), node)

    def visit_arg(self, node):
        return ast.copy_location(ast.arg(arg=self._name(node.arg)), node)

    def visit_FunctionDef(self, node):
        node.name, node.decorator_list, node.returns = _LOCAL, [], None
        self.generic_visit(node)
        return node

    def visit_Constant(self, node):
        value = node.value
        if isinstance(value, (str, bytes)):
            value = "s"
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            value = float(value)
        return ast.copy_location(ast.Constant(value=value), node)


class _Commute(ast.NodeTransformer):
    """The operands of + and * in the order of their (normalised) text."""

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, (ast.Add, ast.Mult)) and ast.dump(node.right) < ast.dump(node.left):
            node.left, node.right = node.right, node.left
        return node


def _normalised_function(function_source, checks=True):
    tree = ast.parse(textwrap.dedent(function_source))
    fn = next(n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))
    fn = _drop_dead_code(fn if checks else _drop_checks(fn))
    fn = _Rewrite().visit(fn)
    fn = _Placeholders(fn).visit(fn)
    return _Commute().visit(fn)


def _header(stmt):
    if isinstance(stmt, (ast.For, ast.AsyncFor)):
        return f"for {ast.unparse(stmt.target)} in {ast.unparse(stmt.iter)}:"
    if isinstance(stmt, ast.While):
        return f"while {ast.unparse(stmt.test)}:"
    if isinstance(stmt, ast.If):
        return f"if {ast.unparse(stmt.test)}:"
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return f"def {_LOCAL}({ast.unparse(stmt.args)}):"
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return f"with {', '.join(ast.unparse(i) for i in stmt.items)}:"
    if isinstance(stmt, ast.Try):
        return "try:"
    return ast.unparse(stmt)


@functools.lru_cache(maxsize=4096)
def _statements(function_source, checks):
    """The normalised statements, or None for code nested too deeply to normalise (it is not compared)."""
    try:
        fn = _normalised_function(function_source, checks)
        return tuple(_header(s) for s in ast.walk(fn) if isinstance(s, ast.stmt) and s is not fn
                     and not isinstance(s, ast.Pass))
    except (RecursionError, MemoryError):
        return None


def normalised_statements(function_source, checks=True):
    """The statements of a function after normalisation, one string each (a compound one by its header).

    ``checks=False`` drops the input checks first. Raises ValueError for code nested too deeply.
    """
    statements = _statements(function_source, checks)
    if statements is None:
        raise ValueError("the function is nested too deeply to normalise")
    return list(statements)


# ------------------------------------------------------------------ similarity


@dataclass(frozen=True)
class Match:
    """How much of a source function an answer holds."""

    matched: int  # statements of the source found in the answer (as a multiset)
    statements: int  # statements of the source

    @property
    def score(self):
        return self.matched / self.statements if self.statements else 0.0


def _contained(source_statements, answer_statements):
    have = Counter(answer_statements)
    return sum(min(n, have[s]) for s, n in Counter(source_statements).items())


def similarity(answer_source, source_source, checks=True):
    """How much of the source function the answer function holds, after normalisation (a ``Match``)."""
    source = normalised_statements(source_source, checks)
    return Match(_contained(source, normalised_statements(answer_source, checks)), len(source))


# ------------------------------------------------------------------ calibration


def calibrate(corpus):
    """The calibration data of a corpus {function: [(id, module source)]}: the normalised statements of each.

    Only the function named like the folder counts (a module may define helpers). Each entry holds
    the statements as written and, when they differ, without the input checks.
    """
    functions = {}
    for name in sorted(corpus):
        entries = {}
        for key, module_source in corpus[name]:
            defined = _functions(module_source)
            if name not in defined:
                raise ValueError(f"{key} does not define {name}")
            readings = {reading: normalised_statements(defined[name], checks)
                        for reading, checks in READINGS.items()}
            if readings["without input checks"] == readings["as written"]:
                del readings["without input checks"]
            entries[str(key)] = readings
        functions[name] = dict(sorted(entries.items()))
    return {"about": "Normalised statements of independent correct implementations of each graded function "
                     "(tests/rnncourse/grading/copy_corpus), what rnncourse.grading.similarity compares "
                     "answers with; regenerate with `python -m rnncourse.grading.similarity calibrate "
                     "tests/rnncourse/grading/copy_corpus`.",
            "functions": functions}


def read_corpus(folder):
    """{function: [(file name, source)]} of a corpus laid out as ``<function>/independent_NN.py``."""
    folder = Path(folder)
    return {d.name: [(p.name, p.read_text()) for p in sorted(d.glob("independent_*.py"))]
            for d in sorted(folder.iterdir()) if d.is_dir() and not d.name.startswith(("_", "."))}


def load_calibration(path=CALIBRATION):
    """{function: {id: {reading: normalised statements}}} from the committed calibration ({} if none)."""
    try:
        return json.loads(Path(path).read_text())["functions"]
    except FileNotFoundError:
        return {}


# ------------------------------------------------------------------ verdicts


def _source_text(source, name=None):
    if source == "solution":
        return "the published solution"
    return f"the reference rnncourse.{name}" if name else "the reference rnncourse"


@dataclass(frozen=True)
class Verdict:
    """One answer against one source in one reading: the match, what independent work reaches, the verdict."""

    name: str
    source: str  # "solution" or "reference"
    reading: str  # a key of READINGS
    match: Match
    null: tuple  # the similarities of the independent implementations to the same source, same reading
    listed: str | None = None  # "alone", "beside" (listed beside a copy) or None

    @property
    def threshold(self):
        """The similarity an answer needs to be listed on its own (infinite when none can be)."""
        if self.match.statements < MIN_STATEMENTS or not self.null:
            return float("inf")
        return max(FLOOR, max(self.null) + MARGIN)

    def reaching(self, score):
        """How many independent implementations reach ``score``."""
        return sum(s >= score - 1e-12 for s in self.null)

    def line(self):
        m = self.match
        checks = "" if self.reading == "as written" else " without the input checks"
        what = (f"similarity {m.score:.2f}: {m.matched} of its {m.statements} statements{checks}, after "
                f"renaming; {self.reaching(m.score)} of {len(self.null)} independent solutions reach "
                f"{m.score:.2f}")
        source = _source_text(self.source, self.name)
        if self.listed == "alone":
            return f"answer {self.name} matches {source} ({what}, the closest {max(self.null):.2f})"
        why = "too short" if m.statements < MIN_STATEMENTS else "too close to independent solutions"
        return (f"answer {self.name} also matches {source} ({what}; {why} to tell on its own, listed with "
                f"the notebook's other copies)")


def _with(verdict, listed):
    return Verdict(verdict.name, verdict.source, verdict.reading, verdict.match, verdict.null, listed)


def _verdict(name, answer, kind, source, null, reading):
    checks = READINGS[reading]
    source_statements, answer_statements = _statements(source, checks), _statements(answer, checks)
    if not source_statements or answer_statements is None:
        return None
    match = Match(_contained(source_statements, answer_statements), len(source_statements))
    scores = tuple(_contained(source_statements, entry.get(reading, entry["as written"]))
                   / len(source_statements) for entry in null)
    verdict = Verdict(name, kind, reading, match, scores)
    return _with(verdict, "alone") if match.score >= verdict.threshold else verdict


def judge_notebook(answers, sources, calibration, exclude=None):
    """Verdicts on a notebook's answers one by one and as a whole: ([Verdict], [NotebookVerdict]).

    ``answers``: {function: source}; ``sources``: {function: {kind: source}} with the kinds of
    ``SOURCES``; ``calibration``: ``load_calibration()``; ``exclude``: {function: id} of corpus
    implementations to leave out of the null (to judge one against the others only). There is one
    verdict per answer and source, in the reading that lists it if one does (as written first), else
    in the one that comes closest, and one notebook verdict per source and reading. A function
    without calibration data is never listed: nothing says what independent work reaches.
    """
    exclude = exclude or {}
    candidates = {}  # (name, kind) -> [Verdict], one per reading
    for name, answer in answers.items():
        null = [entry for key, entry in sorted(calibration.get(name, {}).items()) if key != exclude.get(name)]
        for kind in SOURCES:
            if kind in sources.get(name, {}):
                found = [_verdict(name, answer, kind, sources[name][kind], null, reading)
                         for reading in READINGS]
                if any(found):
                    candidates[(name, kind)] = [v for v in found if v is not None]
    notebooks = notebook_verdicts([v for found in candidates.values() for v in found])
    copied = {(v.source, v.reading) for found in candidates.values() for v in found if v.listed == "alone"}
    copied |= {(n.source, n.reading) for n in notebooks if n.listed}
    verdicts, listed_names = [], set()
    for (name, kind), found in candidates.items():
        chosen = min(found, key=lambda v: (v.listed is None, v.threshold - v.match.score))
        if chosen.listed is None and name not in listed_names:
            beside = [v for v in found
                      if (v.source, v.reading) in copied and v.null and v.match.score >= FLOOR]
            chosen = _with(beside[0], "beside") if beside else chosen
        listed_names |= {name} if chosen.listed else set()
        verdicts.append(chosen)
    return verdicts, notebooks


def judge_answers(answers, sources, calibration, exclude=None):
    """The verdicts on a notebook's answers one by one (``judge_notebook``'s first part)."""
    return judge_notebook(answers, sources, calibration, exclude)[0]


@dataclass(frozen=True)
class NotebookVerdict:
    """All the graded answers of a notebook against one source in one reading, taken as one function."""

    source: str
    reading: str
    names: tuple
    matched: int
    statements: int
    closest: int  # the most statements an independent notebook holds: the closest implementation of each
    listed: bool

    @property
    def score(self):
        return self.matched / self.statements if self.statements else 0.0

    def line(self):
        checks = "" if self.reading == "as written" else " without the input checks"
        return (f"the notebook as a whole matches {_source_text(self.source)} (similarity {self.score:.2f}: "
                f"{self.matched} of the {self.statements} statements{checks} of {len(self.names)} functions, "
                f"after renaming; independent solutions hold at most {self.closest / self.statements:.2f} "
                f"together, taking the closest of each function)")


def notebook_verdicts(verdicts):
    """One ``NotebookVerdict`` per source and reading in which two calibrated answers or more were compared.

    An honest student whose every answer were as close to the source as the closest independent
    implementation of that function would still hold only ``closest`` of the notebook's statements.
    """
    out = []
    for source in SOURCES:
        for reading in READINGS:
            mine = [v for v in verdicts if v.source == source and v.reading == reading and v.null]
            if len(mine) < 2:
                continue
            matched = sum(v.match.matched for v in mine)
            statements = sum(v.match.statements for v in mine)
            closest = sum(round(max(v.null) * v.match.statements) for v in mine)
            threshold = max(FLOOR, closest / statements + MARGIN)
            listed = statements >= MIN_STATEMENTS and matched / statements >= threshold
            names = tuple(v.name for v in mine)
            out.append(NotebookVerdict(source, reading, names, matched, statements, closest, listed))
    return out


# ------------------------------------------------------------------ notebooks


def _functions(source):
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # not Python, or nested too deeply
        return {}
    return {n.name: ast.get_source_segment(source, n)
            for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def _read(path):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return nbformat.read(str(path), as_version=4)
    except Exception:
        return None


def flag_copies(submission_dir, source_dir, calibration=None):
    """Lines for the instructor's report about one submission (an empty list when nothing stands out).

    ``calibration`` defaults to the committed one (``load_calibration()``). The lines change no score.
    """
    from .chapters import TASKS

    calibration = load_calibration() if calibration is None else calibration
    flags = []
    for source_path in sorted(Path(source_dir).glob("*.ipynb")):
        nb, src = _read(Path(submission_dir) / source_path.name), _read(source_path)
        if nb is None or src is None:
            continue
        solutions = {}
        for cell in src.cells:
            if meta(cell).get("solution"):
                solutions.update(_functions(strip_solution_markers(cell.source)))
        answers = {}
        for index, cell in enumerate(nb.cells):
            graded_test = meta(cell).get("grade") and not meta(cell).get("solution")
            if cell.get("cell_type") != "code" or graded_test:
                continue
            try:
                tree = ast.parse(cell.source)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                continue
            for node in ast.walk(tree):
                for name in reference_imports(node):
                    flags.append(f"{source_path.name}, cell {index + 1}: imports {name} "
                                 "(the reference package)")
            answers.update({n: code for n, code in _functions(cell.source).items() if n in TASKS})
        sources = {name: {**({"solution": solutions[name]} if name in solutions else {}),
                          "reference": inspect.getsource(TASKS[name].reference)} for name in answers}
        verdicts, notebooks = judge_notebook(answers, sources, calibration)
        # The notebook's line says why short answers are listed beside when no answer is listed alone.
        listed_alone = {v.source for v in verdicts if v.listed == "alone"}
        for source in SOURCES:
            notebook = next((n for n in notebooks if n.source == source and n.listed), None)
            if notebook is not None and source not in listed_alone:
                flags.append(f"{source_path.name}: {notebook.line()}")
        listed = set()
        for verdict in sorted(verdicts, key=lambda v: v.listed != "alone"):  # the evidence first
            if verdict.listed and verdict.name not in listed:
                listed.add(verdict.name)
                flags.append(f"{source_path.name}: {verdict.line()}")
    return flags


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m rnncourse.grading.similarity",
                                     description="Calibrate the copy report on a corpus of independent "
                                                 "implementations.")
    sub = parser.add_subparsers(dest="command", required=True)
    cal = sub.add_parser("calibrate", help=f"write {CALIBRATION.name} from a corpus folder")
    cal.add_argument("corpus", help="folder of <function>/independent_NN.py files")
    cal.add_argument("--output", default=str(CALIBRATION))
    args = parser.parse_args(argv)
    data = calibrate(read_corpus(args.corpus))
    Path(args.output).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"{args.output}: {len(data['functions'])} functions, "
          f"{sum(len(v) for v in data['functions'].values())} implementations")


if __name__ == "__main__":
    main()
