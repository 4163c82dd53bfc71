"""What plain nbgrader commands write in this course: clean autograde logs, feedback that works offline.

Logs. nbgrader 0.9.6 saved the source cells to the gradebook before clearing the hidden tests, so
every hidden test cell of every submission made from the release "had changed" (five warnings per
student for assignment 1), and SQLAlchemy 2 added three ``SAWarning`` blocks per student. An
instructor reading such a log cannot see the one warning that matters: a test cell a student
edited. ``nbgrader_config.py`` now saves the cells after clearing and builds submissions without
autoflush (``add_submissions_without_autoflush``).

Feedback. nbgrader's page loaded MathJax 2.7.7 from a CDN, so offline it showed raw TeX; it now
loads the course's MathJax 3 from ``feedback/_mathjax/`` (``rnncourse/grading/feedback_math.py``).
"""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from support import make_course, perfect_submission, run

pytestmark = pytest.mark.slow
ASSIGNMENT = "01_rnn_forward"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A course with three submissions of assignment 1 autograded by plain nbgrader, and its log."""
    course = make_course(tmp_path_factory.mktemp("outputs"))
    run(["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], cwd=course)
    release = course / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    source = course / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    folders = {s: course / "submitted" / s / ASSIGNMENT for s in ("untouched", "solved", "tampered")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    shutil.copy(release, folders["untouched"])
    nbformat.write(perfect_submission(release, source), str(folders["solved"] / release.name))
    tampered = perfect_submission(release, source)
    for cell in tampered.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "softmax_hidden":
            cell.source += "\nassert True  # edited by the student"
    nbformat.write(tampered, str(folders["tampered"] / release.name))

    log = run(["nbgrader", "autograde", ASSIGNMENT, "--force"], cwd=course, timeout=600).stderr
    return course, folders, log


def test_autograde_of_clean_submissions_logs_no_checksum_or_sqlalchemy_warning(graded):
    course, folders, log = graded
    assert "SAWarning" not in log, log[-3000:]
    # nbgrader grades the students one after another; each one's lines start with this line.
    parts = re.split(r"^\[AutogradeApp \| INFO\] Creating/updating student with ID '([^']+)'.*$", log,
                     flags=re.M)
    by_student = dict(zip(parts[1::2], parts[2::2]))
    assert set(by_student) == set(folders), log[-3000:]
    changed = {s: re.findall(r"Attribute '(\w+)' for cell (\w+) has changed", text)
               for s, text in by_student.items()}
    assert changed == {"untouched": [], "solved": [], "tampered": [("checksum", "softmax_hidden")]}, changed
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "rnncourse") as gb:
        scores = {s: gb.find_submission(ASSIGNMENT, s).score for s in folders}
    assert scores == {"untouched": 0, "solved": 20, "tampered": 20}, scores


def test_feedback_loads_mathjax_from_the_course_copy_beside_it_not_from_a_cdn(graded):
    course, folders, _ = graded
    run(["nbgrader", "generate_feedback", ASSIGNMENT, "--force"], cwd=course, timeout=600)
    pages = sorted((course / "feedback").glob(f"*/{ASSIGNMENT}/*.html"))
    assert [p.parent.parent.name for p in pages] == sorted(folders), pages
    for page in pages:
        text = page.read_text()
        scripts = re.findall(r"<script[^>]*\bsrc=\"([^\"]*)\"", text)
        assert scripts == ["../../_mathjax/tex-chtml.js"], (page, scripts)
        assert not re.search(r"https?://[^\"' ]*mathjax", text, re.I), page
        assert (page.parent / scripts[0]).resolve().is_file(), f"{page}: {scripts[0]} is not there"
        assert "MathJax.Hub" not in text  # MathJax 2's configuration would fail under MathJax 3
    fonts = course / "feedback" / "_mathjax" / "output" / "chtml" / "fonts" / "woff-v2"
    assert len(list(fonts.glob("*.woff"))) > 10, "the fonts tex-chtml.js loads are missing"
