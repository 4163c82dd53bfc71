"""One symbol, one meaning (the registry's rule R1), in the book, the assignments and the package.

1. Every symbol of the preface's notation table is defined in one row only: no symbol appears in
   two rows, and no row lists a symbol twice (a second meaning for a reserved symbol would need a
   second row).
2. Every row gives a meaning.
3. The notations that the registry retired because they gave a reserved symbol a second meaning
   (NOTATION.md, section 2, and the clashes removed since) are used nowhere: each pattern below
   names the clash and what to write instead. They are searched in
   - the chapters and the appendix (prose and code cells);
   - the solution notebooks (solutions/*/*.ipynb) and the release (exercises/*/*.ipynb),
     markdown and code cells;
   - the docstrings of ``rnncourse`` (modules, classes and functions).
4. Code names that spell a retired symbol (``eta`` where the package says ``lr``, ``r2`` for the
   capacity MC_k, ...) are not the parameter of a function nor a name it returns: in the public
   functions of ``rnncourse``, and in every function that a notebook or a chapter's code cell
   defines (read with ``ast``).
Every check is parametrized per file, so that each file fails on its own.

chi and psi are the registry's symbols for one-off quantities (R5): a chapter may use chi more
than once, each time declared where it is used and confined to that passage (chapter 4 has three,
in three sections). A chi that lives on beyond its passage, or two meanings of chi in one passage,
is a clash. Chapter 9 keeps chi for its n-gram context alone, and the appendix's tree node and
layer count are no longer chi: the patterns below hold those fixes.
"""

from __future__ import annotations

import ast
import json
import re

import pytest

from support import ROOT

PREFACE = ROOT / "book" / "00_preface.md"
CHAPTERS = sorted((ROOT / "book").glob("0*.md")) + sorted((ROOT / "book").glob("appendix*.md"))
NOTEBOOKS = sorted((ROOT / "solutions").glob("*/*.ipynb")) + sorted((ROOT / "exercises").glob("*/*.ipynb"))
MODULES = sorted((ROOT / "rnncourse").rglob("*.py"))

# (regular expression on one line of text, the clash it would reintroduce, what to write instead)
RETIRED: list[tuple[str, str, str]] = [
    (r"\\tilde L\b", "a tilde marks a candidate state (C11)", "L^{\\mathrm{trunc}}"),
    (r"\bM\(T\)", "M is the NTM slot width (C10)", "B(T)"),
    (r"\$e_[ij]\$|\\varepsilon e_i", "subscripted e are attention scores (C18)", "\\operatorname{onehot}(j)"),
    (r"\\nabla_z\b", "z is the GRU update gate (C23)", "\\nabla_\\chi"),
    (r"\\phi\(p\)", "phi is the activation (C27)", "\\psi(\\chi)"),
    (r"\bV_size\b|\(N, T, V\)", "V is the output weight matrix (C28)", "vocab_size, (N, T, D)"),
    (r"\\sigma_\{?\\max", "sigma is the sigmoid (C16)", "\\lVert W\\rVert_2"),
    (r"\$k_[12]\$", "k is an index and keys (C14)", "\\ell_1, \\ell_2"),
    (r"\\lambda = 1 - 1/\\gamma", "lambda is an eigenvalue (C2)", "\\kappa_i = 1 - 1/\\gamma_i"),
    (r"machine epsilon \$?u\b", "u is the NTM erase vector (C7)", "\\varepsilon_{\\mathrm{mach}}"),
    # chapter 9's n-gram section: context, counts, discount and pseudo-count
    (r"\bc\(h|\bc\(\\chi", "c is the output bias", "\\#(\\chi y), \\#(\\chi)"),
    (r"\bN\(h\)|\bN\(\\chi\)", "N is the batch size", "\\#_{+}(\\chi\\,\\cdot)"),
    (r"\\mid h'?\b|p\(w \\mid", "h is the hidden state and w the NTM weighting", "p(y \\mid \\chi)"),
    (r"d = n_1|\$n_1\$, \$n_2\$", "d is a delay and n_1 an edge count (chapter 4)", "\\Xi = \\#_1 / (\\#_1 + 2 \\#_2)"),
    (r"[Aa]dd-\$k\$|\$k = 0\.1\$", "k is a dummy index and the keys k_j", "additive smoothing with pseudo-count \\Gamma"),
    (r"best \$\|r\|\$|\$r =\$", "r is the GRU reset gate (C26)", "correlation, in words"),
    # the appendix
    (r"W\^\{\(\\mathrm [lr]\)\}", "a superscript in parentheses is an instance, a label is roman without (R3)",
     "W^{\\mathrm{left}}, W^{\\mathrm{right}}"),
    (r"z\^\{\(\d\)\}_t|\bz\^\{\(l", "z is the GRU update gate", "h^{(l)}_t"),
    (r"\(a_1, b_1\)", "a is the pre-activation and b the bias", "(\\lambda_1, \\chi_1)"),
    (r"internal node \$v\$|h_v\b", "v is a value",
     "h^{\\mathrm{node}}, h^{\\mathrm{left}}, h^{\\mathrm{right}}"),
    (r"kernel size \$k\$|\$r = 2\^L\$", "k is an index and keys, r the reset gate, L the loss",
     "T_{\\mathrm{ker}}, T_{\\mathrm{rf}}"),
    # chapters 5, 6 and 8
    (r"\\over(?:right|left)arrow g", "g is the gradient of all parameters; g_t was retired (C12)",
     "\\overrightarrow\\chi_t"),
    (r"\$p\((?:a|b)\) =", "a is the pre-activation and b the bias", "the tokens `a`, `b`"),
    (r"h\^\\star", "a star marks a chosen token (R3)", "h^{\\mathrm{fix}}"),
    (r"z_i = \\beta|softmax\}\(z\)", "z is the GRU update gate (C23)", "logits \\chi, \\nabla_\\chi L"),
    (r"\bL\(c\\,|\$c = 1\$|c\^\{\\xi\}", "c is the output bias", "\\chi"),
    (r"\$L = S|\$L = 10\$|sequence of \$L\$", "L is the loss", "T_{\\mathrm{copy}}"),
    (r"\bC_s\b|t > s\$", "s is the NTM shift (C11)", "C_{t_0}"),
    (r"\$M\$ other symbols|\$M = 4\$ distractor", "M is the NTM slot width (C10)", "D - K distractor symbols"),
    # leftovers of a later review (issue 21, item 6)
    (r"T = 2m\b|\$2m\$", "m is the read-out of an attention step (C22)", "T/2 (T even)"),
    (r"g_\{k\+1\}|\bg_\{?t\}? = \\nabla_\{?h", "g is the gradient of all parameters (C12)",
     "\\nabla_{h_{k+1}} L, written out"),
    (r"information_flow\(Hs, G, W\)|total gradients `G`", "G_k is the gain of step k (chapter 3)",
     "the total gradients `grad_Hs`"),
    (r"bits \$b_i\$|\(2b \+ 1\)", "b is the hidden bias", "\\mathrm{bit}, as the code's `bit`"),
    (r"\bZ = \\?sum|\}\{Z\^?2?\}|/ ?Z\b|\blog Z\b", "Z is the ridge design matrix (C9)",
     "the softmax normaliser written out, \\sum_j e^{o_j}, or a one-off \\chi"),
    (r"4\^\{?\\chi", "chi is chapter 9's n-gram context", "4 to the power {glue:text}`norm_exponent:.2f`"),
    (r"node \$\\chi\$|h_\\chi\b|\\mathrm\{(?:left|right)\}\(\\chi\)|of \$\\chi\$ layers|2\^\{?\\chi",
     "chi is a one-off (R5), not a tree node or a layer count that a section keeps using",
     "h^{\\mathrm{node}}, h^{\\mathrm{left}}; a layer index l"),
    (r"\br2\b", "r is the GRU reset gate (C26)", "MC_k, in code mc_k"),
    (r"^\s*- (?:eta|g_max):", "the package spells the step size lr and the threshold max_norm (R1)",
     "- lr: ... eta, - max_norm: ... g_max"),
    # assignment 5's task 4 and gated.gru_step_backward; assignment 8's task 5 and ntm's docstrings
    (r"g_t = W\^\{?\\tilde h|\bg = W\^h~", "g is the gradient of all parameters (C12)",
     "W^{\\tilde h} h_{t-1} written out, or a one-off \\chi_t"),
    (r"z_i = \\xi|\bz = beta cos|softmax\(z\)|\bdz_i\b", "z is the GRU update gate (C23)",
     "logits \\chi, \\nabla_\\chi L"),
    (r"\bg = \\nabla_w|\bg = dw\b", "g is the gradient of all parameters (C12)", "a one-off \\chi"),
]

# Code names of a retired symbol: name -> (the clash, what to write instead). Checked as the parameters
# of functions and as the names they return (``return mc, r2``), not as their local variables.
RETIRED_NAMES: dict[str, tuple[str, str]] = {
    "eta": ("the package spells the step size lr (R1)", "lr"),
    "g_max": ("the package spells the clipping threshold max_norm (R1)", "max_norm"),
    "r2": ("r is the GRU reset gate (C26); the capacity of delay k is MC_k", "mc_k"),
    "V_size": ("V is the output weight matrix (C28)", "vocab_size"),
}


def table_rows() -> list[tuple[int, str, str]]:
    """(line, symbol cell, meaning cell) of every row of the table under the Notation heading."""
    lines = PREFACE.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "## Notation")
    rows, in_table = [], False
    for i in range(start, len(lines)):
        line = lines[i]
        if line.startswith("| symbol |"):
            in_table = True
            continue
        if in_table:
            if not line.startswith("|"):
                break
            if set(line.replace("|", "").strip()) <= {"-", " "}:
                continue
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            rows.append((i + 1, cells[0], cells[1]))
    return rows


def symbols_of(cell: str) -> list[str]:
    """The symbols of one cell: every $...$ chunk, split at top-level commas, spaces removed."""
    found = []
    for math in re.findall(r"\$([^$]+)\$", cell):
        depth, part = 0, ""
        for ch in math:
            if ch in "{(":
                depth += 1
            elif ch in "})":
                depth -= 1
            if ch == "," and depth == 0:
                found.append(part)
                part = ""
            else:
                part += ch
        found.append(part)
    return [re.sub(r"\s+", "", s) for s in found if s.strip()]


def test_the_table_is_found_and_covers_the_book():
    rows = table_rows()
    assert len(rows) > 40, f"only {len(rows)} rows: is the table under '## Notation' still there?"
    symbols = {s for _, cell, _ in rows for s in symbols_of(cell)}
    # Symbols the chapters use that the issue found missing from the table, chapter 5's gates, and
    # some of chapters 6-9 and the appendix.
    for must in [r"\theta", r"\eta", r"\delta_t", r"\varepsilon", r"\rho(W)", r"\lVertA\rVert_2", "J_t", "Q",
                 r"\Lambda", r"\Omega", r"\Delta_t", r"\phi'_{\max}", r"\kappa_i", r"g_{\max}", r"\mu",
                 r"T_{\mathrm{tr}}", r"\ell", r"\omega_t", "C_t", "z_t", "r_t", r"\varepsilon_{\mathrm{mach}}",
                 r"\overrightarrowh_t", r"\overleftarrowh_t", "T_x", r"h^{\mathrme}_j", r"U^{\mathrm{vec}}",
                 "q_t", "k_j", "v_j", "e_{tj}", r"\alpha_{tj}", "m_t", r"H_{\mathrma}", r"U^{\mathrmm}",
                 r"\mathcalM_t", "S", r"\xi_t", r"\zeta_t", "s_t", "u_t", r"\nu_t", r"\mathcalP", r"\tau",
                 r"\mathrm{PPL}", r"\Xi", r"\Gamma", r"W^{\mathrm{left}}", r"T_{\mathrm{ker}}",
                 r"T_{\mathrm{rf}}", r"H_{\mathrmq}", r"H_{\mathrmk}"]:
        assert must in symbols, f"{must} is not in the preface's notation table"


def test_no_symbol_is_defined_twice():
    seen: dict[str, int] = {}
    problems = []
    for line, cell, meaning in table_rows():
        assert meaning, f"book/00_preface.md:{line}: the row for {cell} gives no meaning"
        for symbol in symbols_of(cell):
            if symbol in seen:
                problems.append(f"book/00_preface.md:{line}: {symbol} is already defined on line {seen[symbol]}")
            seen[symbol] = line
    assert not problems, "symbols defined twice in the notation table:\n" + "\n".join(problems)


def test_symbols_of_splits_only_top_level_commas():
    assert symbols_of(r"$D, H, K$") == ["D", "H", "K"]
    assert symbols_of(r"$h^{(l)}_t$, $U_{ij}$") == ["h^{(l)}_t", "U_{ij}"]
    assert symbols_of(r"$\operatorname{err}(A, B)$") == [r"\operatorname{err}(A,B)"]


def retired_in(lines, where: str) -> list[str]:
    """One message per retired pattern found in the given (line number, text) pairs."""
    problems = []
    for lineno, line in lines:
        for pattern, clash, instead in RETIRED:
            found = re.search(pattern, line)
            if found:
                problems.append(f"{where}:{lineno}: {found.group(0)!r} ({clash}); write {instead}")
    return problems


def retired_names_in(tree: ast.AST, where: str, public_only: bool) -> list[str]:
    """One message per function parameter, or name a function returns, that spells a retired symbol."""
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if public_only and node.name.startswith("_"):
            continue
        a = node.args
        for arg in a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x]:
            if arg.arg in RETIRED_NAMES:
                clash, instead = RETIRED_NAMES[arg.arg]
                problems.append(f"{where}:{arg.lineno}: parameter {arg.arg!r} of {node.name} ({clash}); "
                                f"write {instead}")
        for ret in ast.walk(node):
            if isinstance(ret, ast.Return) and ret.value is not None:
                values = ret.value.elts if isinstance(ret.value, ast.Tuple) else [ret.value]
                for value in values:
                    if isinstance(value, ast.Name) and value.id in RETIRED_NAMES:
                        clash, instead = RETIRED_NAMES[value.id]
                        problems.append(f"{where}:{ret.lineno}: {node.name} returns {value.id!r} ({clash}); "
                                        f"write {instead}")
    return problems


def parse_cell(source: str, where: str) -> ast.AST:
    """A code cell as Python, with IPython's magics and shell escapes blanked (line numbers kept)."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError as error:
        pytest.fail(f"{where}: a code cell is not Python ({error}); the notation check cannot read it")


def code_cells(text: str) -> list[tuple[int, str]]:
    """(line of the first code line, source) of each {code-cell} of a MyST chapter, options blanked."""
    cells, lines, start = [], text.splitlines(), None
    for i, line in enumerate(lines):
        if start is None and line.startswith("```{code-cell}"):
            start = i + 1
        elif start is not None and line.startswith("```"):
            body = lines[start:i]
            # the cell's options: a YAML block between two "---" lines, or ":key: value" lines
            if body and body[0] == "---":
                end = body.index("---", 1)
                body = [""] * (end + 1) + body[end + 1:]
            body = ["" if ln.startswith(":") else ln for ln in body]
            cells.append((start + 1, "\n".join(body)))
            start = None
    return cells


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_no_retired_notation(chapter):
    text = chapter.read_text()
    problems = retired_in(enumerate(text.splitlines(), 1), chapter.name)
    for first, source in code_cells(text):
        where = f"{chapter.name}:{first}"
        tree = parse_cell(source, where)
        problems += retired_names_in(tree, f"{where} (code cell) line", public_only=False)
    assert not problems, "notation the registry retired:\n" + "\n".join(problems)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[f"{p.parents[1].name}/{p.stem}" for p in NOTEBOOKS])
def test_no_retired_notation_in_notebooks(notebook):
    name = notebook.relative_to(ROOT)
    problems = []
    for index, cell in enumerate(json.loads(notebook.read_text())["cells"]):
        source = "".join(cell["source"])
        where = f"{name} cell {index}"
        problems += retired_in(enumerate(source.splitlines(), 1), f"{where} line")
        if cell["cell_type"] == "code":
            problems += retired_names_in(parse_cell(source, where), f"{where} line", public_only=False)
    assert not problems, "notation the registry retired:\n" + "\n".join(problems)


@pytest.mark.parametrize("module", MODULES, ids=[str(p.relative_to(ROOT / "rnncourse")) for p in MODULES])
def test_no_retired_notation_in_the_package(module):
    name = module.relative_to(ROOT)
    tree = ast.parse(module.read_text())
    problems = []
    for node in [tree] + [n for n in ast.walk(tree)
                          if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]:
        doc = ast.get_docstring(node, clean=False)
        if doc:
            first = node.body[0].lineno  # the docstring's lines, counted from the line that opens it
            problems += retired_in(((first + i, line) for i, line in enumerate(doc.splitlines())), str(name))
    problems += retired_names_in(tree, str(name), public_only=True)
    assert not problems, "notation the registry retired:\n" + "\n".join(problems)


def test_the_checks_find_what_they_look_for():
    """The parsers see parameters, returned names, docstring lines and code cells (else a check passes
    vacuously)."""
    source = '''
def f(x, eta, *, g_max=1.0):
    """- eta: the step size."""
    r2 = x
    return x, r2


def _g(r2):
    return r2
'''
    tree = ast.parse(source)
    public = retired_names_in(tree, "t", public_only=True)
    assert len(public) == 3 and all(f"'{name}'" in " ".join(public) for name in ("eta", "g_max", "r2"))
    assert len(retired_names_in(tree, "t", public_only=False)) == 5  # and _g's r2, twice
    assert len(retired_in([(1, ast.get_docstring(tree.body[0]))], "t")) == 1
    chapter = ("text\n```{code-cell} ipython3\n:tags: [hide-input]\n%matplotlib inline\ndef f(eta):\n"
               "    pass\n```\n```{code-cell} ipython3\n---\nmystnb:\n  figure:\n    caption: it's\n---\n"
               "def g(r2):\n    pass\n```\n")
    cells = code_cells(chapter)
    assert cells == [(3, "\n%matplotlib inline\ndef f(eta):\n    pass"),
                     (9, "\n\n\n\n\ndef g(r2):\n    pass")]
    for _, cell in cells:
        assert len(retired_names_in(parse_cell(cell, "t"), "t", public_only=False)) == 1
    assert len(NOTEBOOKS) >= 18 and len(MODULES) > 20 and len(CHAPTERS) >= 10
