"""The site builds from clean sources with zero warnings, executing every chapter.

The build is the notebook test layer: `execute_notebooks: cache` runs each
chapter (a failing cell or any warning fails the build), and chapters carry
their own numerical checks as assertions. We chose this over nbval's
comparison with committed outputs because the chapters are committed without
outputs (reviewable diffs, no stale figures), one execution then serves both
the site and the test, and floating-point noise in printed arrays cannot make
a correct chapter fail.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from support import ROOT

pytestmark = pytest.mark.slow

HTML = ROOT / "_build" / "html"


def _toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            files.append(chapter["file"])
    return files


def test_book_builds_without_warnings_and_executes_every_chapter(built_site):
    log = built_site.stdout + built_site.stderr
    assert built_site.returncode == 0, f"jupyter-book build failed:\n{log[-6000:]}"
    # Sphinx prints "path:line: WARNING: ..."; the kernel's own log lines
    # ("[IPKernelApp] WARNING | ...") are not build warnings.
    warnings = [ln for ln in log.splitlines() if re.search(r"(WARNING|ERROR|CRITICAL): ", ln)]
    assert not warnings, "the build printed warnings:\n" + "\n".join(warnings[:30])


def test_every_toc_entry_has_a_page(built_site):
    for entry in _toc_files():
        page = HTML / (entry + ".html")
        assert page.is_file(), f"{entry} is in _toc.yml but {page.relative_to(ROOT)} was not built"


def test_exercise_pages_are_not_executed_and_offer_a_download(built_site):
    toc = [f for f in _toc_files() if f.startswith("exercises/")]
    assert toc, "no exercise pages in _toc.yml"
    for entry in toc:
        page = (HTML / (entry + ".html")).read_text()
        assert "NotImplementedError" in html.unescape(page), f"{entry}: the stubs are not shown"
        assert "Traceback" not in page, f"{entry}: the released notebook was executed"
        name = Path(entry).name + ".ipynb"
        assert re.search(rf'href="[^"]*_sources/{re.escape(entry)}\.ipynb"', page), (
            f"{entry}: no download link to {name}"
        )


def test_no_solution_folder_or_instructor_file_in_the_site(built_site):
    for path in HTML.rglob("*"):
        rel = path.relative_to(HTML).as_posix()
        assert not rel.startswith(("solutions", "_sources/solutions", "tests", "submitted", "autograded")), rel
