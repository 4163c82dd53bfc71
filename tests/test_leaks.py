"""No line of a solution block and no hidden-test line appears where students can read it.

Targets: the released notebooks in exercises/ and every file of the built site
(HTML text with tags stripped, search index, copied sources). Lines any code on
the topic may contain (a bare return, a shape unpacking, a plain call of a
course function) are not secrets; see ``support.is_generic``.
"""

from __future__ import annotations

import html
import re

import pytest

from support import EXERCISES, ROOT, normalise, secret_lines

SECRETS = secret_lines()
_TAG = re.compile(r"<[^>]+>")


def _text(path):
    raw = path.read_text(errors="replace")
    if path.suffix == ".html":
        raw = html.unescape(_TAG.sub("", raw))
    return normalise(raw.replace("\\n", "\n"))


def _leaks(paths):
    found = []
    for path in paths:
        text = _text(path)
        where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        found += [f"{where}: {line!r} (from {src})" for line, src in SECRETS.items() if line in text]
    return found


def test_there_are_secrets_to_look_for():
    assert len(SECRETS) >= 5, f"only {len(SECRETS)} secret lines found: is the marker parsing broken?"


def test_leak_detector_finds_a_planted_solution_line_in_html(tmp_path):
    line = sorted(SECRETS)[0]
    page = tmp_path / "page.html"
    # Pygments wraps every token in a span: the detector must see through the markup.
    marked_up = "".join(f"<span>{html.escape(ch)}</span>" for ch in line)
    page.write_text(f"<html><body><pre>    {marked_up}\n</pre></body></html>")
    assert _leaks([page]), "a solution line planted in an HTML page was not found"


def test_no_solution_or_hidden_test_line_in_exercises():
    leaks = _leaks(p for p in EXERCISES.rglob("*") if p.is_file())
    assert not leaks, "\n".join(leaks)


@pytest.mark.slow
def test_no_solution_or_hidden_test_line_in_the_built_site(built_site):
    assert built_site.returncode == 0, "the site did not build"
    files = [p for p in (ROOT / "_build" / "html").rglob("*") if p.is_file() and p.suffix in {".html", ".js", ".txt", ".ipynb", ".md", ".json"}]
    assert files, "the built site is empty"
    leaks = _leaks(files)
    assert not leaks, "\n".join(leaks[:20])
