"""Math in the feedback pages without a network: MathJax 3 from the course's own copy.

nbgrader's feedback template loads MathJax 2.7.7 from a CDN, so a page opened offline shows
raw TeX. The book serves MathJax 3 (``tex-chtml.js`` from the PyPI package
``django-static-mathjax``, copied by ``book/_ext/course_site.py``); the feedback uses the same
files:

- the template ``rnncourse_feedback`` (``templates/``) is nbgrader's feedback template with
  nbconvert's ``mathjax.html.j2`` shadowed: the page configures MathJax 3 (``$...$`` and
  ``$$...$$`` as in notebooks) and loads ``../../_mathjax/tex-chtml.js``, a path relative to
  the page, which nbgrader writes to ``feedback/<student>/<assignment>/<notebook>.html``;
- ``LocalMathJax``, a feedback preprocessor, copies ``tex-chtml.js``, its fonts and its TeX
  extensions (about 2 MB) once into ``feedback/_mathjax/``. No student id can be ``_mathjax``:
  ``make roster`` refuses underscores in ids and zip_collect cannot read them from file names.

A page sent on its own (``nbgrader release_feedback`` sends the HTML file only, as does an
upload to an LMS) has no copy beside it: its math shows as TeX, as it did offline before.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

__all__ = ["LocalMathJax", "MATHJAX_FOLDER", "TEMPLATE_NAME", "copy_mathjax_parts", "mathjax_files",
           "template_basedirs"]

TEMPLATE_NAME = "rnncourse_feedback"
MATHJAX_FOLDER = "_mathjax"  # in the feedback folder, beside the students' folders
COMPONENT = "tex-chtml.js"  # the one the book loads
PARTS = (COMPONENT, "output/chtml/fonts/woff-v2", "input/tex/extensions")


def template_basedirs():
    """The template folders for ``HTMLExporter.extra_template_basedirs``: the course's, then nbgrader's."""
    import nbgrader

    nbgrader_templates = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"
    return [str(Path(__file__).parent / "templates"), str(nbgrader_templates)]


def mathjax_files():
    """The ``es5`` folder of MathJax 3 in ``django-static-mathjax``, or None if it is not installed."""
    try:
        import mathjax  # the import name of django-static-mathjax
    except ImportError:
        return None
    es5 = Path(mathjax.__file__).resolve().parent / "static" / "mathjax" / "es5"
    return es5 if (es5 / COMPONENT).is_file() else None


def copy_mathjax(feedback_dir):
    """Put MathJax into ``feedback_dir/_mathjax`` (once: a copy whose component is there is kept)."""
    es5 = mathjax_files()
    if es5 is None:
        return None
    dest = Path(feedback_dir) / MATHJAX_FOLDER
    if (dest / COMPONENT).is_file() and (dest / COMPONENT).stat().st_size == (es5 / COMPONENT).stat().st_size:
        return dest
    copy_mathjax_parts(es5, dest, PARTS)
    return dest


def copy_mathjax_parts(es5, dest, parts):
    """Copy the given files and folders of MathJax's ``es5`` folder, and its licence, into ``dest``.

    The book's site (``book/_ext/course_site.py``) copies its MathJax with this too.
    """
    for part in parts:
        src = es5 / part
        if src.is_dir():
            shutil.copytree(src, dest / part, dirs_exist_ok=True)
        else:
            (dest / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / part)
    if (es5.parent / "LICENSE").is_file():
        shutil.copy2(es5.parent / "LICENSE", dest / "LICENSE")


class LocalMathJax(Preprocessor):
    """Make sure the feedback folder holds the MathJax copy its pages load (changes no cell)."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        from nbgrader.coursedir import CourseDirectory

        coursedir = CourseDirectory(config=self.config)
        feedback = Path(coursedir.root) / coursedir.feedback_directory
        if copy_mathjax(feedback) is None:
            self.log.warning("django-static-mathjax is not installed (pip install -e \".[dev]\"): the math in "
                             "the feedback pages will show as TeX")
        return nb, resources
