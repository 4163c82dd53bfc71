"""Feedback that helps without giving the hidden tests away.

nbgrader's feedback HTML shows every cell of the autograded notebook as it
ran, and with nbgrader's default release steps the autograded notebook holds the
instructor's test cells with their hidden tests restored (nbgrader issues #917
and #1363). This course's release saves the cells to the gradebook after the
hidden tests are cleared (nbgrader_config.py), so they are not restored; a
gradebook released the default way still restores them, so ``RemoveHiddenTests``
runs first in ``generate_feedback`` (see nbgrader_config.py): in each test cell
it replaces the hidden block by one comment line, and it reduces the error
output of such a cell to the exception's message, because a traceback quotes
the line of the cell that raised. The grading helpers write their messages for
students (which output, expected vs got shape, largest error and where, a hint),
so the message is the useful part.

``SanitiseStudentMarkup`` runs after nbgrader's ``GetGrades``: everything a
submission wrote (markdown cells, raw cells, outputs, metadata, attachments) is
shown to the student and the instructor in the feedback page, which must not run
anything the submission put there. nbgrader's feedback template renders markdown
with nbconvert's ``markdown2html`` and inserts it without ``clean_html`` (even when
``HTMLExporter.sanitize_html`` is on), and nbconvert's markdown renderer keeps
``javascript:`` links. So each markdown cell is rendered here with the same
renderer, sanitised with bleach (a dependency of nbconvert), and handed to the
template as one HTML block that its markdown pass leaves as it is.
"""

from __future__ import annotations

import base64
import binascii
import html
import re

import bleach
import nbformat
from bleach.css_sanitizer import CSSSanitizer
from bleach.html5lib_shim import Filter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
PLACEHOLDER = "# (hidden tests ran here: seeded random cases compared with the reference)"

__all__ = ["RemoveHiddenTests", "SanitiseStudentMarkup", "remove_hidden_block", "sanitise_html",
           "render_markdown_safely"]


def remove_hidden_block(source: str) -> tuple[str, bool]:
    """The source with each hidden-test block replaced by one comment; and whether there was one."""
    out, inside, found = [], False, False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == HIDDEN_BEGIN:
            inside, found = True, True
            out.append(line[: len(line) - len(line.lstrip())] + PLACEHOLDER)
        elif stripped == HIDDEN_END and inside:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out), found


class RemoveHiddenTests(Preprocessor):
    """Strip hidden tests, and the tracebacks that quote them, from test cells."""

    # nbconvert registers preprocessors switched off unless they default to on.
    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            return cell, resources
        cell.source, had_hidden = remove_hidden_block(cell.source)
        if had_hidden:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources


# --- Sanitising what a submission wrote -------------------------------------------------------------

# What markdown renders to, plus the inline HTML students write in notebooks.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var",
})
# Elements whose content is a program, a document or a widget: their text would be noise in the page,
# so they go with everything inside them (other unknown tags lose only the tag).
DROPPED_WITH_CONTENT = frozenset({
    "applet", "audio", "base", "button", "canvas", "embed", "frame", "frameset", "iframe", "input", "link",
    "math", "meta", "noembed", "noframes", "noscript", "object", "option", "param", "plaintext", "portal",
    "script", "select", "source", "style", "svg", "template", "textarea", "title", "track", "video", "xmp",
})
ATTRIBUTES = {
    "*": ("title",),
    "a": ("href",),
    "img": ("src", "alt", "width", "height"),
    "td": ("colspan", "rowspan", "style"),
    "th": ("colspan", "rowspan", "style"),
    "h1": ("id",), "h2": ("id",), "h3": ("id",), "h4": ("id",), "h5": ("id",), "h6": ("id",),
}
# Classes the markdown renderer writes (code highlighting, heading anchors). Anything else could borrow
# the page's own layout classes (Bootstrap's fixed bars) to draw over the score.
CLASS_RE = re.compile(r"^(highlight|hl-[\w+#-]+|anchor-link|[a-z][a-z0-9]{0,3})$")
CLASSED_TAGS = frozenset({"a", "code", "div", "pre", "span"})
# Inline images stay when they are bitmaps; an SVG image is a document with its own scripts.
DATA_IMAGE_RE = re.compile(r"^data:image/(png|jpeg|gif);base64,[a-z0-9+/=]*$")
# The one style markdown writes: a table column's alignment.
ALIGN_RE = re.compile(r"^\s*text-align\s*:\s*(left|right|center)\s*;?\s*$")
SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):")
SAFE_SCHEMES = {"http", "https", "mailto"}
# Bitmaps that outputs may keep; the grader's stream and error outputs are text the template escapes.
SAFE_IMAGE_TYPES = ("image/png", "image/jpeg")
ATTACHMENT_TYPES = ("image/png", "image/jpeg", "image/gif")
BASE64_RE = re.compile(r"^[A-Za-z0-9+/=\s]*$")
GRADE_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
NOTEBOOK_METADATA_KEPT = ("kernelspec", "language_info")


def _url_is_safe(value: str, image: bool) -> bool:
    # Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
    url = re.sub(r"[\x00-\x20\x7f]+", "", value).lower()
    if image and url.startswith("data:"):
        return bool(DATA_IMAGE_RE.match(url))
    match = SCHEME_RE.match(url)
    return match is None or match.group(1) in SAFE_SCHEMES


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if name == "class":
        return tag in CLASSED_TAGS and all(CLASS_RE.match(c) for c in value.split())
    if name not in ATTRIBUTES.get(tag, ()) + ATTRIBUTES["*"]:
        return False
    if name in ("href", "src"):
        return _url_is_safe(value, image=(tag, name) == ("img", "src"))
    if name == "style":
        return bool(ALIGN_RE.match(value))
    if name in ("width", "height", "colspan", "rowspan"):
        return value.strip().isdigit()
    return True


class _DropElementContent(Filter):
    """Removes the DROPPED_WITH_CONTENT elements together with all they contain."""

    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            name = token.get("name", "").lower() if token["type"] in ("StartTag", "EndTag", "EmptyTag") else ""
            if name in DROPPED_WITH_CONTENT:
                depth += {"StartTag": 1, "EndTag": -1}.get(token["type"], 0)
                continue
            if depth <= 0:
                yield token


# Pass one lets the dropped elements through only for the filter to remove them with their content;
# pass two is the real allow-list, so anything the filter missed is still stripped.
_PROTOCOLS = frozenset({"http", "https", "mailto", "data"})  # data: narrowed to bitmaps by _allow_attribute
_CSS = CSSSanitizer(allowed_css_properties=["text-align"])
_DROPPER = bleach.Cleaner(tags=ALLOWED_TAGS | DROPPED_WITH_CONTENT, attributes=_allow_attribute,
                          protocols=_PROTOCOLS, css_sanitizer=_CSS, strip=True, strip_comments=True,
                          filters=[_DropElementContent])
_CLEANER = bleach.Cleaner(tags=ALLOWED_TAGS, attributes=_allow_attribute, protocols=_PROTOCOLS,
                          css_sanitizer=_CSS, strip=True, strip_comments=True)


def sanitise_html(fragment: str) -> str:
    """``fragment`` with only inert markup left: no scripts, handlers, active URLs, frames or forms."""
    return _CLEANER.clean(_DROPPER.clean(fragment)) if fragment else ""


def _markdown_to_html(source: str, attachments: dict | None = None) -> str:
    # The renderer nbconvert's HTMLExporter.markdown2html uses, so headings, math, tables and code
    # look the same as in any other nbconvert page.
    renderer = IPythonRenderer(escape=False, allow_harmful_protocols=False,
                               attachments=attachments or _Attachments())
    return MarkdownWithMath(renderer=renderer).render(source)


def _as_one_html_block(fragment: str) -> str:
    # A markdown HTML block that starts with <div> runs to the next blank line: with every line break
    # written as a character reference there is none, so the template's markdown2html passes the
    # fragment through whole instead of reading the text inside it as markdown (escaped text such as
    # "[x](javascript:...)" would become a link again).
    return "<div>" + fragment.replace("\r", "&#13;").replace("\n", "&#10;") + "</div>"


def _as_plain_text(text: str) -> str:
    return _as_one_html_block("<pre>" + html.escape(text) + "</pre>")


def render_markdown_safely(source: str, attachments: dict | None = None) -> str:
    """Markdown source turned into sanitised HTML that nbconvert's markdown2html leaves unchanged."""
    block = _as_one_html_block(sanitise_html(_markdown_to_html(source, attachments)))
    if _markdown_to_html(block).strip() != block:  # a markdown renderer that reads HTML blocks otherwise
        return _as_plain_text(source)
    return block


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else value if isinstance(value, str) else ""


class _Attachments(dict):
    """Bitmap attachments; any other name an image refers to gets an empty PNG.

    nbconvert's renderer raises on a reference to a missing attachment, which would lose the whole
    page for a typo; SVG attachments are documents that can carry scripts.
    """

    def __contains__(self, name):
        return True

    def __missing__(self, name):
        return {"image/png": ""}


def _safe_attachments(attachments) -> dict:
    kept = _Attachments()
    for name, bundle in (attachments or {}).items():
        for mime in ATTACHMENT_TYPES:
            if isinstance(bundle, dict) and _is_base64(bundle.get(mime)):
                kept[name] = {mime: _text(bundle[mime])}
                break
    return kept


def _is_base64(value) -> bool:
    text = _text(value)
    if not text or not BASE64_RE.match(text):
        return False
    try:
        base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _safe_output(output):
    kind = output.get("output_type")
    if kind == "stream":
        name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
        return nbformat.v4.new_output("stream", name=name, text=_text(output.get("text")))
    if kind == "error":
        traceback = [_text(line) for line in output.get("traceback") or [] if isinstance(line, (str, list))]
        return nbformat.v4.new_output("error", ename=_text(output.get("ename")),
                                      evalue=_text(output.get("evalue")), traceback=traceback)
    if kind not in ("display_data", "execute_result"):
        return None
    data, metadata = output.get("data") or {}, output.get("metadata") or {}
    kept, kept_metadata = {}, {}
    for mime in SAFE_IMAGE_TYPES:
        if _is_base64(data.get(mime)):
            kept[mime] = "".join(_text(data[mime]).split())
            size = metadata.get(mime) if isinstance(metadata.get(mime), dict) else {}
            # nbconvert writes width and height into the <img> tag without quotes.
            sizes = {k: v for k, v in size.items() if k in ("width", "height") and type(v) is int and v > 0}
            if sizes:
                kept_metadata[mime] = sizes
    # Whatever else was displayed (HTML, SVG, markdown, LaTeX, JavaScript, widgets) is shown as its
    # text, which the template escapes: the student still sees what their code produced.
    text = _text(data.get("text/plain")) or next(
        (f"[{mime}]\n{_text(value)}" for mime, value in data.items() if mime not in kept and _text(value)), "")
    if text or not kept:
        kept["text/plain"] = text
    if kind == "execute_result":
        count = output.get("execution_count")
        return nbformat.v4.new_output(kind, data=kept, metadata=kept_metadata,
                                      execution_count=count if type(count) is int else None)
    return nbformat.v4.new_output(kind, data=kept, metadata=kept_metadata)


def _safe_cell_metadata(metadata) -> dict:
    kept = {}
    tags = metadata.get("tags")
    if isinstance(tags, list):
        kept["tags"] = [t for t in tags if isinstance(t, str)]
    nbgrader = metadata.get("nbgrader")
    if isinstance(nbgrader, dict):
        kept["nbgrader"] = dict(nbgrader)
        if "grade_id" in nbgrader:  # the feedback template writes it into href and name unescaped
            kept["nbgrader"]["grade_id"] = GRADE_ID_UNSAFE.sub("_", str(nbgrader["grade_id"]))
        if "comment" in nbgrader:  # the grader's comment (GetGrades), rendered by the template as markdown
            comment = nbgrader["comment"]
            kept["nbgrader"]["comment"] = render_markdown_safely(comment) if isinstance(comment, str) else None
    return nbformat.from_dict(kept)


class SanitiseStudentMarkup(Preprocessor):
    """Leave nothing in the notebook that could run in, or restyle, the feedback page.

    Markdown cells become sanitised HTML (headings, lists, tables, math and code stay); raw cells are
    shown as text, since nbconvert passes raw text/html cells into the page; outputs keep text, PNG and
    JPEG images, and the text of everything else; metadata keeps what the feedback template reads.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        nb.metadata = nbformat.from_dict({k: nb.metadata[k] for k in NOTEBOOK_METADATA_KEPT if k in nb.metadata})
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        cell.metadata = _safe_cell_metadata(cell.get("metadata") or {})
        if cell.cell_type == "markdown":
            cell.source = render_markdown_safely(_text(cell.source), _safe_attachments(cell.get("attachments")))
        elif cell.cell_type == "raw":
            cell.cell_type, cell.source = "markdown", _as_plain_text(_text(cell.source))
        elif cell.cell_type == "code":
            cell.source = _text(cell.source)
            cell.execution_count = cell.get("execution_count") if type(cell.get("execution_count")) is int else None
            cell.outputs = [o for o in map(_safe_output, cell.get("outputs") or []) if o is not None]
        else:  # the template prints an unknown cell's type unescaped
            cell.cell_type, cell.source = "markdown", _as_plain_text(_text(cell.get("source")))
        cell.pop("attachments", None)
        return cell, resources
