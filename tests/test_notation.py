"""The preface's notation table: one symbol, one meaning (the registry's rule R1).

1. Every symbol of the table is defined in one row only: no symbol appears in two rows, and no
   row lists a symbol twice (a second meaning for a reserved symbol would need a second row).
2. Every row gives a meaning.
3. The chapters do not use the notations that the registry retired because they gave a reserved
   symbol a second meaning (NOTATION.md, section 2): each pattern below names the clash and what
   the book writes instead. Parametrized per chapter file, so that each chapter fails on its own.
"""

from __future__ import annotations

import re

import pytest

from support import ROOT

PREFACE = ROOT / "book" / "00_preface.md"
CHAPTERS = sorted((ROOT / "book").glob("0*.md"))

# (regular expression on a chapter's text, the clash it would reintroduce, what to write instead)
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
    (r"machine epsilon \$u\$", "u is the NTM erase vector (C7)", "\\varepsilon_{\\mathrm{mach}}"),
]


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
    # Symbols the chapters use that the issue found missing from the table, and chapter 5's gates.
    for must in [r"\theta", r"\eta", r"\delta_t", r"\varepsilon", r"\rho(W)", r"\lVertA\rVert_2", "J_t", "Q",
                 r"\Lambda", r"\Omega", r"\Delta_t", r"\phi'_{\max}", r"\kappa_i", r"g_{\max}", r"\mu",
                 r"T_{\mathrm{tr}}", r"\ell", r"\omega_t", "C_t", "z_t", "r_t", r"\varepsilon_{\mathrm{mach}}"]:
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


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_no_retired_notation(chapter):
    problems = []
    for lineno, line in enumerate(chapter.read_text().splitlines(), 1):
        for pattern, clash, instead in RETIRED:
            if re.search(pattern, line):
                problems.append(f"{chapter.name}:{lineno}: {re.search(pattern, line).group(0)!r} ({clash}); "
                                f"write {instead}")
    assert not problems, "notation the registry retired:\n" + "\n".join(problems)
