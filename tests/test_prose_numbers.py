"""Numbers in a chapter's prose come from its code.

The rule (HELPERS.md, DESIGN.md "Numbers in prose come from code"): every decimal literal (it has
a `.` or an exponent, including LaTeX's `2.2 \\times 10^{-16}` and `10^{-7}`) and every integer
with two or more digits that a chapter's markdown quotes (prose, math, figure captions, alt
text, admonitions and their folded answers) must either be produced by `glue` (then the prose
holds a `{glue:...}` role, not the number) or appear literally, as the same value, in a code cell
of that chapter (outside comments), where it is computed or asserted. A seed or a code change
then cannot leave a stale number in the text: the number is in the code that the build runs.

Not counted, because they are not quoted results:

- years of citations, written `(2017)` or `2017)` or in a citation role;
- text inside roles (`{cite}`, `{numref}`, `{eq}`, `{glue:text}`'s format such as `:.3f`, ...),
  inline code, fenced code blocks that are not notebook cells, labels, link targets;
- EXCEPTIONS below: each is a name that happens to contain digits, with the reason.

The test runs on every `book/0*.md`, one test per chapter file, and names each number with its
line, so that a chapter fails on its own.
"""

from __future__ import annotations

import io
import math
import re
import tokenize
from pathlib import Path

import pytest

from support import ROOT

CHAPTERS = sorted((ROOT / "book").glob("0*.md"))

# (pattern matched against the line, reason). A number inside a match is not a quoted result.
EXCEPTIONS: list[tuple[str, str]] = [
    (r"\b00[0-4]\b", "the lecture decks are named 000 to 004 (file names of the syllabus, not quantities)"),
    (r"CC BY 4\.0|4\.0 International", "the version of the Creative Commons licence of the prose"),
]

_FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
_ROLE = re.compile(r"\{[a-zA-Z:_-]+\}`[^`]*`")
_INLINE_CODE = re.compile(r"`[^`]*`")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_LABEL = re.compile(r"^\([A-Za-z0-9_:-]+\)=\s*$")
_MATH_LABEL = re.compile(r"\$\$\s*\([A-Za-z0-9_:-]+\)\s*$")
_YEAR = re.compile(r"(?<=\()(?:19|20)\d\d\b|\b(?:19|20)\d\d(?=\))")

# A number as written in prose or LaTeX: 2.2 \times 10^{-16}, 10^{-7}, 1e-3, 0.25, 1706.
_SCI_TEX = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*\\times\s*10\^\{?(-?\d+)\}?")
_POW10_TEX = re.compile(r"(?<![\w.^])10\^\{?(-?\d+)\}?")
_NUMBER = re.compile(r"(?<![\w.])(\d+\.\d+|\.\d+|\d+(?:\.\d+)?[eE][+-]?\d+|\d+)(?![\w])")
_CODE_NUMBER = re.compile(r"(?<![\w.])(\d+\.\d*|\.\d+|\d+(?:\.\d*)?[eE][+-]?\d+|\d+)(?![\w])")


def split_chapter(text: str):
    """(markdown lines with their line numbers, code-cell sources) of a MyST notebook."""
    lines = text.splitlines()
    prose: list[tuple[int, str]] = []
    code: list[str] = []
    i = 0
    if lines and lines[0].strip() == "---":  # jupytext front matter
        i = 1
        while i < len(lines) and lines[i].strip() != "---":
            i += 1
        i += 1
    while i < len(lines):
        m = _FENCE.match(lines[i].strip())
        if m:
            fence, info = m.group(1), m.group(2).strip()
            j = i + 1
            body: list[tuple[int, str]] = []
            while j < len(lines) and lines[j].strip() != fence:
                body.append((j + 1, lines[j]))
                j += 1
            if info.startswith("{code-cell}"):
                # The cell's YAML header holds the caption and the alt text: prose for this rule.
                if body and body[0][1].strip() == "---":
                    k = 1
                    while k < len(body) and body[k][1].strip() != "---":
                        prose.append(body[k])
                        k += 1
                    body = body[k + 1:]
                code.append("\n".join(line for _, line in body))
            # other fenced blocks (bash commands, ...) are code listings, not quoted results
            i = j + 1
            continue
        prose.append((i + 1, lines[i]))
        i += 1
    return prose, code


def code_values(cells: list[str]) -> list[float]:
    """Every numeric literal of the code cells, outside comments (in strings too: labels, prints)."""
    values: list[float] = []
    for cell in cells:
        src = "\n".join(line for line in cell.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(src).readline))
        except (tokenize.TokenError, SyntaxError):  # pragma: no cover - a chapter that does not parse
            tokens = []
        for tok in tokens:
            if tok.type == tokenize.NUMBER:
                try:
                    values.append(float(tok.string.replace("_", "").rstrip("jJ")))
                except ValueError:
                    pass
            elif tok.type in (tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1)):
                values.extend(float(n) for n in _CODE_NUMBER.findall(tok.string))
    return values


def clean(line: str) -> str:
    """The part of a markdown line that quotes numbers: roles, code, labels, targets removed."""
    if _LABEL.match(line.strip()):
        return ""
    stripped = line.strip()
    if stripped.startswith((":::", ":class:", ":name:", "name:", "tags:", "mystnb:", "figure:", "image:")):
        # directive fences and options; a caption or alt line keeps its text after the key
        if not stripped.startswith(("caption:", "alt:")):
            return ""
    for pattern, _reason in EXCEPTIONS:
        line = re.sub(pattern, " ", line)
    line = _ROLE.sub(" ", line)
    line = _INLINE_CODE.sub(" ", line)
    line = _LINK_TARGET.sub("] ", line)
    line = _MATH_LABEL.sub("$$", line)
    line = _YEAR.sub(" ", line)
    return line


def quoted_numbers(line: str) -> list[tuple[str, float]]:
    """(as written, value) for every number the rule covers in one cleaned markdown line."""
    found: list[tuple[str, float]] = []
    for m in _SCI_TEX.finditer(line):
        found.append((m.group(0), float(m.group(1)) * 10.0 ** int(m.group(2))))
    line = _SCI_TEX.sub(" ", line)
    for m in _POW10_TEX.finditer(line):
        found.append((m.group(0), 10.0 ** int(m.group(1))))
    line = _POW10_TEX.sub(" ", line)
    for m in _NUMBER.finditer(line):
        s = m.group(1)
        is_decimal = "." in s or "e" in s.lower()
        if is_decimal or len(s) >= 2:
            found.append((s, float(s)))
    return found


def unproduced_numbers(path: Path) -> list[str]:
    prose, code = split_chapter(path.read_text())
    values = code_values(code)
    problems = []
    for lineno, line in prose:
        for written, value in quoted_numbers(clean(line)):
            if not any(math.isclose(value, v, rel_tol=1e-12, abs_tol=0.0) for v in values):
                problems.append(f"{path.relative_to(ROOT)}:{lineno}: {written!r} is quoted but no code cell "
                                f"produces it (glue it, or assert it in the cell beside the sentence)")
    return problems


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_number_in_the_prose_comes_from_code(chapter):
    problems = unproduced_numbers(chapter)
    assert not problems, f"{len(problems)} numbers in {chapter.name} come from no code:\n" + "\n".join(problems)


# ------------------------------------------------------------------ the detector itself


def test_detector_finds_typed_numbers_and_accepts_produced_ones(tmp_path, monkeypatch):
    chapter = tmp_path / "09_example.md"
    chapter.write_text(
        "---\njupytext: {}\n---\n\n"
        "The loss falls to 0.17 after 300 updates, and the error is $2.2 \\times 10^{-16}$.\n"
        "A glued {glue:text}`loss:.3f` and `code 12.5` and {cite}`smith2017` (2017) are fine.\n"
        "Below $10^{-7}$, as the assertion says; 3 steps.\n\n"
        "```{code-cell} ipython3\n---\nmystnb:\n  figure:\n    caption: Curve at 41.6.\n---\n"
        "assert err < 1e-7  # 0.17 in a comment does not count\nn_updates = 300\n```\n"
    )
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    problems = unproduced_numbers(chapter)
    flagged = sorted(p.split(": ")[1].split(" is quoted")[0] for p in problems)
    assert flagged == sorted(["'0.17'", "'2.2 \\\\times 10^{-16}'", "'41.6'"]), problems
    assert [p.split(":")[1] for p in problems] == ["5", "5", "13"], problems  # the lines they are on


def test_exceptions_are_few_and_give_a_reason():
    assert len(EXCEPTIONS) <= 3
    assert all(len(reason) > 20 for _pattern, reason in EXCEPTIONS)
