"""Fixtures shared by several test modules."""

from __future__ import annotations

import pytest

from support import ROOT, run


@pytest.fixture(scope="session")
def built_site():
    """Build the site exactly as `make book` does (into _build/html, cached by content)."""
    return run(
        ["jupyter-book", "build", ".", "--warningiserror", "--nitpick", "--keep-going"],
        cwd=ROOT,
        timeout=1500,
        check=False,
    )
