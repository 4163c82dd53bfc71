"""Make the built site work offline and load cleanly (a local Sphinx extension).

1. MathJax 3 is served from the site itself. The files come from the PyPI package
   ``django-static-mathjax`` (MathJax 3.2.2 under ``mathjax/static/mathjax/``), which
   ``pip install -e ".[dev]"`` puts into the virtual environment. After an HTML build only what
   the ``tex-chtml`` component needs is copied into ``_build/html/_static/mathjax/``:

   - ``tex-chtml.js``: TeX input (with the AMS macros), CommonHTML output, the menu;
   - ``output/chtml/fonts/woff-v2/``: the fonts the CommonHTML output loads;
   - ``input/tex/extensions/``: the TeX packages ``autoload`` fetches on first use
     (``\\boldsymbol``, ``\\cancel``, ``mathtools``, ...);
   - ``ui/``, ``a11y/`` and ``sre/``: what the right-click menu loads when a reader turns on
     its accessibility options (speech, explorer);
   - ``LICENSE`` (Apache 2.0).

   Sphinx's ``mathjax_path`` is pointed at the copy (a path relative to ``_static``), so no page
   refers to a CDN. A missing package is a build error, not a silent fallback to the CDN.

2. Thebe (live code through Binder) is left out of every page while the ``thebe`` launch button
   is off in ``_config.yml``. Jupyter Book always loads ``sphinx_thebe``, which adds its script,
   a ``<script>`` that declares ``const THEBE_JS_URL`` (twice on our pages, a console error:
   "Identifier 'THEBE_JS_URL' has already been declared") and a configuration block naming a
   Binder repository. None of it can work without a Binder service.

3. Every chapter that is a notebook (a MyST markdown file that MyST-NB executes) can be
   downloaded as an ``.ipynb`` that Jupyter opens as shipped. sphinx-book-theme offers the
   ``.ipynb`` only when a launch button is on (it copies MyST-NB's executed notebook from
   ``_build/jupyter_execute/`` into ``_sources/`` in ``add_launch_buttons``); the launch buttons
   are off here, so this extension does the same copy and sets ``ipynb_source`` for the theme's
   download button. The ``.md`` stays available beside it.

4. The theme's colour mode defaults to ``auto`` (follow the reader's system). Jupyter Book
   sets no ``default_mode`` (an ``html_context`` value), for which pydata-sphinx-theme logs "Got invalid theme
   mode" to the console on a reader's first visit, and then uses ``auto`` anyway.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

# The feedback pages use the same copy of MathJax as the site.
from rnncourse.grading.feedback_math import copy_mathjax_parts, mathjax_files

logger = logging.getLogger(__name__)

MATHJAX_COMPONENT = "tex-chtml.js"
MATHJAX_PARTS = [
    MATHJAX_COMPONENT,
    "output/chtml/fonts/woff-v2",
    "input/tex/extensions",
    "ui",
    "a11y",
    "sre",
]
MATHJAX_TARGET = "mathjax"  # under _static/

_THEBE_BODY = re.compile(
    r"\s*<script type=\"text/x-thebe-config\">.*?</script>\s*<script>kernelName = '[^']*'</script>",
    re.S,
)


def mathjax_source() -> Path:
    """The ``es5`` folder of MathJax 3 inside the installed ``django-static-mathjax`` package."""
    es5 = mathjax_files()
    if es5 is None or not (es5 / MATHJAX_COMPONENT).is_file():
        raise ExtensionError(
            f"course_site: MathJax 3's {MATHJAX_COMPONENT} not found: is django-static-mathjax installed "
            '(pip install -e ".[dev]" installs it)?'
        )
    return es5


def thebe_is_on(config) -> bool:
    launch = (config.html_theme_options or {}).get("launch_buttons", {}) or {}
    return bool(launch.get("thebe"))


def configure(app: Sphinx, config) -> None:
    mathjax_source()  # fail early, before any page is written
    config.mathjax_path = f"{MATHJAX_TARGET}/{MATHJAX_COMPONENT}"
    # pydata-sphinx-theme 0.17 (under sphinx-book-theme 1.3) adds a full-width top bar that
    # holds only a second search field; the sidebar already has one.
    if config.html_theme_options is not None:
        config.html_theme_options.setdefault("navbar_persistent", [])
    # pydata-sphinx-theme reads default_mode from html_context, not from the theme options.
    if not config.html_context.get("default_mode"):
        config.html_context["default_mode"] = "auto"


def drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if thebe_is_on(app.config):
        return
    if "script_files" in context:
        context["script_files"] = [
            js
            for js in context["script_files"]
            if not str(getattr(js, "filename", js) or "").endswith("sphinx-thebe.js")
            and "THEBE_JS_URL" not in str(getattr(js, "attributes", {}).get("body", ""))
        ]
    if "css_files" in context:
        context["css_files"] = [
            css for css in context["css_files"] if not str(getattr(css, "filename", css)).endswith("sphinx-thebe.css")
        ]
    if "body" in context:
        context["body"] = _THEBE_BODY.sub("\n", context["body"])


def offer_notebook_download(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Copy the executed notebook of a MyST-notebook page into _sources/ and offer it as .ipynb."""
    if doctree is None or app.builder.format != "html":
        return
    source = Path(app.env.doc2path(pagename))
    if source.suffix != ".md":
        return  # .ipynb pages (the assignments) are offered as themselves already
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.is_file():
        return  # a plain markdown page, not a notebook
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    es5 = mathjax_source()
    dest = Path(app.outdir) / "_static" / MATHJAX_TARGET
    copy_mathjax_parts(es5, dest, MATHJAX_PARTS)
    logger.info("course_site: copied MathJax 3 (%s) into %s", MATHJAX_COMPONENT, dest)


def setup(app: Sphinx) -> dict:
    # config-inited runs after every extension's setup, so sphinx.ext.mathjax's defaults exist.
    app.connect("config-inited", configure, priority=900)
    # After the theme and the extensions have filled the page context.
    app.connect("html-page-context", drop_thebe, priority=900)
    # Before sphinx-book-theme's add_header_buttons (priority 501), which reads ipynb_source.
    app.connect("html-page-context", offer_notebook_download, priority=500)
    app.connect("build-finished", copy_mathjax)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
