"""Disguised copies of a function, made automatically, as a student hiding a copy would make them.

``disguises(source, key)`` returns several copies of one function's source (``Disguise``), each with
some of:

- every argument and local name renamed (loop variables, nested functions and their arguments,
  comprehension and lambda variables too), and in the strongest variant the private helpers it
  calls (``_check_cell``) as well, as a student who copied them along would;
- adjacent statements swapped where that cannot change what the function computes;
- dead code: unused assignments, ``if False:`` blocks, a no-op helper wrapped around the result;
- a new docstring, or none;
- comments, blank lines and redundant parentheses, which change the text but not the syntax tree;
- in the ``edited`` variant, small rewrites that keep every value: the operands of ``+`` and ``*``
  swapped, ``x ** 2`` written ``x * x``, ``1.0`` in arithmetic written ``1``;
- in the ``checks_removed`` variant (made only for a source that has any), the input checks deleted,
  as a student copying the reference must when its helpers (``as_float_array``) are not at hand.

The copies compute what the original computes (the tests run them to prove it), so the copy
report's figures are about copies a student could hand in. Everything is deterministic: the
choices come from a generator seeded with ``key`` and the variant's name.
"""

from __future__ import annotations

import ast
import builtins
import random
import textwrap
import zlib
from typing import NamedTuple

__all__ = ["Disguise", "disguises", "VARIANTS"]

_NAMES = ["acc", "tmp", "val", "arr", "res", "out", "cur", "nxt", "grad", "buf", "total", "mat", "vec",
          "idx", "part", "item", "data", "score", "block", "state", "term", "piece", "chunk", "level",
          "store", "carry"]
_COMMENTS = ["# compute the next part", "# as in the lecture", "# see the notes", "# TODO: tidy up",
             "# this works", "# careful with the shapes here", "# my own version", "# step by step"]
_DOCSTRINGS = ["My implementation of the task.", "Computes what the exercise asks for.",
               "Solution written for the assignment (see the notebook for the maths)."]

# variant name -> what it does (the keys of the steps in ``_disguise``)
VARIANTS = {
    "renamed": {"rename"},
    "renamed+docstring+comments": {"rename", "docstring", "comments", "blank_lines", "parentheses"},
    "renamed+reordered+unused": {"rename", "reorder", "unused"},
    "renamed+if_false+noop_helper": {"rename", "if_false", "noop_helper", "docstring"},
    "everything": {"rename", "rename_helpers", "reorder", "unused", "if_false", "noop_helper", "docstring",
                   "comments", "blank_lines", "parentheses"},
    "edited": {"rename", "reorder", "edits", "docstring"},
    "checks_removed": {"strip_checks", "rename", "docstring", "comments"},
}


class Disguise(NamedTuple):
    variant: str  # a key of VARIANTS
    source: str
    helpers: dict  # new name -> old name of the module-level helpers renamed along (to run the copy)


def disguises(source, key):
    """[Disguise] of the single function in ``source``: one per variant (``checks_removed`` only if it has
    checks to remove)."""
    out = []
    for variant, steps in VARIANTS.items():
        if "strip_checks" in steps and not _strip_checks(_function(ast.parse(textwrap.dedent(source)))):
            continue
        rng = random.Random(zlib.crc32(f"{key}/{variant}".encode()))
        out.append(Disguise(variant, *_disguise(source, steps, rng)))
    return out


def _function(tree):
    fns = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    if len(fns) != 1:
        raise ValueError(f"expected the source of one function, found {len(fns)}")
    return fns[0]


def _disguise(source, steps, rng):
    tree = ast.parse(textwrap.dedent(source))
    fn = _function(tree)
    helpers = {}
    if "strip_checks" in steps:
        _strip_checks(fn)
    if "rename" in steps:
        helpers = _rename(fn, rng, helpers="rename_helpers" in steps)
    if "docstring" in steps:
        _replace_docstring(fn, rng)
    if "reorder" in steps:
        _reorder(fn, rng)
    if "unused" in steps:
        _insert_unused(fn, rng)
    if "if_false" in steps:
        _insert_if_false(fn, rng)
    if "noop_helper" in steps:
        _wrap_returns(fn, rng)
    if "edits" in steps:
        _Edits(rng).visit(fn)
    ast.fix_missing_locations(tree)
    text = ast.unparse(tree)
    if "parentheses" in steps:
        text = _parenthesise(text, rng)
    if "comments" in steps or "blank_lines" in steps:
        text = _decorate(text, rng, "comments" in steps, "blank_lines" in steps)
    ast.parse(text)  # a disguise must stay valid Python
    return text + "\n", helpers


# ------------------------------------------------------------------ renaming


def _bound_names(fn):
    """Every name the function binds: arguments, assignment and loop targets, nested defs, comprehensions."""
    names = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef) and node is not fn:
            names.add(node.name)
    return names


def _free_names(fn, bound):
    return {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id not in bound}


class _Renamer(ast.NodeTransformer):
    def __init__(self, mapping, fn):
        self.mapping, self.fn = mapping, fn

    def visit_Name(self, node):
        node.id = self.mapping.get(node.id, node.id)
        return node

    def visit_arg(self, node):
        node.arg = self.mapping.get(node.arg, node.arg)
        self.generic_visit(node)
        return node

    def visit_FunctionDef(self, node):
        if node is not self.fn:
            node.name = self.mapping.get(node.name, node.name)
        self.generic_visit(node)
        return node


def _rename(fn, rng, helpers=False):
    """Renames the function's names in place; returns {new: old} for the module-level helpers renamed."""
    bound = _bound_names(fn)
    free = _free_names(fn, bound)
    targets = set(bound)
    if helpers:  # private module-level helpers the function calls, copied along and renamed
        targets |= {n for n in free if n.startswith("_") and n != "_"}
    taken = bound | free | set(dir(builtins))
    pool = list(_NAMES)
    rng.shuffle(pool)
    mapping = {}
    for i, name in enumerate(sorted(targets)):
        new = f"{pool[i % len(pool)]}_{rng.randrange(10, 99)}"
        while new in taken:
            new = f"{pool[i % len(pool)]}_{rng.randrange(100, 999)}"
        taken.add(new)
        mapping[name] = ("_" if name.startswith("_") and name in free else "") + new
    _Renamer(mapping, fn).visit(fn)
    # keyword arguments that name a renamed parameter of a nested function follow the parameter
    nested = {n.name for n in ast.walk(fn) if isinstance(n, ast.FunctionDef) and n is not fn}
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in nested:
            for kw in node.keywords:
                if kw.arg in mapping:
                    kw.arg = mapping[kw.arg]
    return {new: old for old, new in mapping.items() if old in free}


# ------------------------------------------------------------------ input checks


def _strip_checks(fn):
    """Deletes the input checks in place; returns how many statements went.

    A check: ``assert``; ``if ...:`` whose body only raises; a call, for its effect, of a module
    helper named ``*check*``; parameters passed through a module helper and assigned back
    (``x = as_float_array(x, "x", 2)``).
    """
    params = {a.arg for a in fn.args.args}
    free = _free_names(fn, _bound_names(fn)) - {"np", "math"} - set(dir(builtins))

    def helper(node):
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in free

    def check(stmt):
        if isinstance(stmt, ast.Assert):
            return True
        if isinstance(stmt, ast.If):
            return all(isinstance(s, ast.Raise) for s in stmt.body) and all(check(s) for s in stmt.orelse)
        if isinstance(stmt, ast.Expr):
            return helper(stmt.value) and "check" in stmt.value.func.id
        if isinstance(stmt, ast.Assign) and helper(stmt.value):
            targets = [t for tg in stmt.targets for t in (tg.elts if isinstance(tg, ast.Tuple) else [tg])]
            passed = {a.id for a in stmt.value.args if isinstance(a, ast.Name)}
            return all(isinstance(t, ast.Name) and t.id in params and t.id in passed for t in targets)
        return False

    removed = 0
    for block in _blocks(fn):
        kept = [s for s in block if not check(s)]
        removed += len(block) - len(kept)
        block[:] = kept or [ast.Pass()]
    return removed


# ------------------------------------------------------------------ docstring


def _has_docstring(fn):
    first = fn.body[0] if fn.body else None
    return (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str))


def _replace_docstring(fn, rng):
    had = _has_docstring(fn)
    if had:
        fn.body = fn.body[1:] or [ast.Pass()]
    choice = rng.randrange(len(_DOCSTRINGS) + 1)
    if choice < len(_DOCSTRINGS):  # else: no docstring at all
        fn.body.insert(0, ast.Expr(ast.Constant(_DOCSTRINGS[choice])))


def _body_start(fn):
    return 1 if _has_docstring(fn) else 0


# ------------------------------------------------------------------ reordering


def _names(node, ctx):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ctx)}


def _movable(stmt):
    """Reads and writes of a statement that may move, or None if it must stay where it is.

    Only plain assignments move, and only when they cannot act on anything else: no call of a
    function that is not numpy's or math's (it may read what an earlier statement changed through
    another name), no store into an item or attribute (it may change an array another name
    shares), no in-place numpy ``out=``.
    """
    if not isinstance(stmt, ast.Assign) or not all(isinstance(t, (ast.Name, ast.Tuple))
                                                   for t in stmt.targets):
        return None
    for node in ast.walk(stmt):
        if isinstance(node, ast.Call):
            f = node.func
            while isinstance(f, ast.Attribute):
                f = f.value
            if not (isinstance(f, ast.Name) and f.id in ("np", "math")
                    and isinstance(node.func, ast.Attribute)):
                return None
            if any(k.arg == "out" for k in node.keywords):
                return None
        if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
            return None
        if isinstance(node, (ast.Lambda, ast.NamedExpr, ast.Yield, ast.Await)):
            return None
    return _names(stmt, ast.Load), _names(stmt, ast.Store)


def _independent(a, b):
    ma, mb = _movable(a), _movable(b)
    if ma is None or mb is None:
        return False
    (ra, wa), (rb, wb) = ma, mb
    return not (wa & (rb | wb)) and not (wb & ra)


def _reorder(fn, rng):
    for block in _blocks(fn):
        start = _body_start(fn) if block is fn.body else 0
        for i in range(start, len(block) - 1):
            if _independent(block[i], block[i + 1]) and rng.random() < 0.7:
                block[i], block[i + 1] = block[i + 1], block[i]


def _blocks(fn):
    """The statement lists of the function: its body and the bodies of its loops and branches.

    Not those of nested functions: a statement moved or added there could make a name that the
    nested function reads from the enclosing one local to it.
    """
    out = []
    todo = [fn]
    while todo:
        node = todo.pop()
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                out.append(block)
                todo.extend(s for s in block
                            if isinstance(s, (ast.For, ast.While, ast.If, ast.With, ast.Try)))
    return out


# ------------------------------------------------------------------ dead code


def _fresh(fn, rng, stem):
    taken = _bound_names(fn) | _free_names(fn, set()) | set(dir(builtins))
    while True:
        name = f"{stem}_{rng.randrange(10, 999)}"
        if name not in taken:
            return name


def _insert_at(block, index, stmts):
    block[index:index] = stmts


def _positions(fn, rng, count):
    """``count`` (block, index) places to insert statements: before any statement of any block."""
    blocks = _blocks(fn)
    places = []
    for _ in range(count):
        block = rng.choice(blocks)
        start = _body_start(fn) if block is fn.body else 0
        places.append((block, rng.randrange(start, len(block) + 1) if len(block) > start else start))
    return places


def _insert_unused(fn, rng):
    args = [a.arg for a in fn.args.args] or ["None"]
    values = ["0.0", "[]", "None", "1e-12", "'debug'", f"({rng.choice(args)},)", "{}"]
    for block, index in _positions(fn, rng, 2):
        stmt = ast.parse(f"{_fresh(fn, rng, 'unused')} = {rng.choice(values)}").body[0]
        _insert_at(block, index, [stmt])


def _insert_if_false(fn, rng):
    plain = [s for s in ast.walk(fn) if isinstance(s, (ast.Assign, ast.AugAssign))]
    bodies = ["print('never printed')", "raise ValueError('unreachable')"]
    for block, index in _positions(fn, rng, 2):
        if plain and rng.random() < 0.5:
            inner = ast.parse(ast.unparse(rng.choice(plain))).body
        else:
            inner = ast.parse(rng.choice(bodies)).body
        _insert_at(block, index, [ast.If(test=ast.Constant(False), body=inner, orelse=[])])


def _wrap_returns(fn, rng):
    name = _fresh(fn, rng, "_same")
    helper = ast.parse(f"def {name}(value):\n    return value").body[0]
    fn.body.insert(_body_start(fn), helper)
    for node in ast.walk(fn):
        if isinstance(node, ast.Return) and node.value is not None and node not in helper.body:
            node.value = ast.Call(func=ast.Name(name, ast.Load()), args=[node.value], keywords=[])


# ------------------------------------------------------------------ small rewrites that keep every value


class _Edits(ast.NodeTransformer):
    """Swaps the operands of + and * (exact in floating point), writes x ** 2 as x * x and 1.0 as 1
    where it is an operand of arithmetic (the other operand is a float array or number already)."""

    def __init__(self, rng):
        self.rng = rng

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Pow) and isinstance(node.right, ast.Constant) and node.right.value == 2 \
                and isinstance(node.left, (ast.Name, ast.Subscript, ast.Attribute)):
            return ast.BinOp(left=node.left, op=ast.Mult(), right=node.left)
        for side in ("left", "right"):
            operand = getattr(node, side)
            other = node.right if side == "left" else node.left
            if isinstance(operand, ast.Constant) and operand.value == 1.0 and type(operand.value) is float \
                    and not isinstance(other, ast.Constant):
                setattr(node, side, ast.Constant(1))
        if isinstance(node.op, (ast.Add, ast.Mult)) and _numeric(node.left) and _numeric(node.right) \
                and self.rng.random() < 0.7:
            node.left, node.right = node.right, node.left
        return node


def _numeric(node):
    """False where the operand may be a tuple, list or string (whose + and * do not commute)."""
    for n in ast.walk(node):
        if isinstance(n, (ast.Tuple, ast.List, ast.JoinedStr)) or (isinstance(n, ast.Constant) and isinstance(
                n.value, str)) or (isinstance(n, ast.Attribute) and n.attr == "shape"):
            return False
    return True


# ------------------------------------------------------------------ text: comments, blank lines, parentheses


def _parenthesise(text, rng):
    lines = text.splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        try:
            stmt = ast.parse(stripped).body
        except SyntaxError:
            continue
        simple = len(stmt) == 1 and isinstance(stmt[0], ast.Assign) and len(stmt[0].targets) == 1
        if simple and rng.random() < 0.6:
            target = ast.unparse(stmt[0].targets[0])
            indent = line[: len(line) - len(line.lstrip())]
            lines[i] = f"{indent}{target} = ({ast.unparse(stmt[0].value)})"
    return "\n".join(lines)


def _decorate(text, rng, comments, blank_lines):
    out = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        indent = line[: len(line) - len(line.lstrip())]
        inside = i > 0 and indent  # never above the def line
        if inside and not stripped.startswith(('"', "'")):
            if blank_lines and rng.random() < 0.2:
                out.append("")
            if comments and rng.random() < 0.3:
                out.append(indent + rng.choice(_COMMENTS))
        out.append(line)
    return "\n".join(out)
