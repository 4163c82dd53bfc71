"""rnncourse.feedback: hidden tests and the tracebacks that quote them leave the feedback, and nothing a
submission wrote can run in the feedback page."""

from __future__ import annotations

import base64
import collections
import html as html_lib
import re
from html.parser import HTMLParser

import nbformat
import pytest
from nbconvert.preprocessors import Preprocessor
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import GetGrades
from traitlets.config.loader import PyFileConfigLoader

from rnncourse.grading import feedback
from rnncourse.grading.feedback import PLACEHOLDER, RemoveHiddenTests, remove_hidden_block
from support import ROOT

CELL = """# visible part
assert_close("x", f(1), 1)
### BEGIN HIDDEN TESTS
check_against_reference("f", f)
### END HIDDEN TESTS
print("done")"""


def test_hidden_block_is_replaced_by_one_comment():
    out, found = remove_hidden_block(CELL)
    assert found
    assert "check_against_reference" not in out and "HIDDEN" not in out
    assert out.splitlines() == ["# visible part", 'assert_close("x", f(1), 1)', PLACEHOLDER, 'print("done")']


def test_cell_without_hidden_block_is_unchanged():
    assert remove_hidden_block("a = 1\nb = 2") == ("a = 1\nb = 2", False)


def test_preprocessor_strips_traceback_of_hidden_cells_only():
    hidden = nbformat.v4.new_code_cell(CELL, metadata={"nbgrader": {"grade": True, "grade_id": "t", "points": 1}})
    hidden.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="f: shape (2,), expected (3,)",
                                             traceback=["Traceback", 'check_against_reference("f", f)', "..."])]
    visible = nbformat.v4.new_code_cell("assert 1 == 2", metadata={"nbgrader": {"grade": True, "grade_id": "v"}})
    visible.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="", traceback=["assert 1 == 2"])]
    answer = nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\nx\n### END HIDDEN TESTS",
                                       metadata={"nbgrader": {"solution": True, "grade_id": "a"}})
    nb = nbformat.v4.new_notebook(cells=[hidden, visible, answer])
    nb, _ = RemoveHiddenTests().preprocess(nb, {})
    assert nb.cells[0].outputs[0]["traceback"] == ["AssertionError: f: shape (2,), expected (3,)"]
    assert "check_against_reference" not in nb.cells[0].source
    assert nb.cells[1].outputs[0]["traceback"] == ["assert 1 == 2"]
    assert "HIDDEN" in nb.cells[2].source  # not a test cell: left alone


def test_preprocessor_is_on_when_nbgrader_registers_it():
    # nbconvert's register_preprocessor leaves a class's instance as its `enabled` default says.
    from nbconvert.exporters import HTMLExporter

    exporter = HTMLExporter()
    exporter.register_preprocessor(RemoveHiddenTests)
    assert exporter._preprocessors[-1].enabled


# --- Feedback pages run nothing a submission wrote ---------------------------------------------------
# The page is built as `nbgrader generate_feedback` builds it: GenerateFeedback's HTMLExporter settings
# (nbgrader's feedback template) and the preprocessors listed in the course's nbgrader_config.py. Only
# GetGrades is replaced (it reads the gradebook); the end-to-end test below runs the real one.

HOSTILE_MARKDOWN = r"""# Answer

<img src=x onerror=alert(1)>
<script>alert(2)</script>
<ScRiPt>alert(3)</sCrIpT>
<a href="javascript:alert(4)">click</a>
<a href=JaVaScRiPt:alert(5)>unquoted, mixed case</a>
<a href="&#106;avascript:alert(6)">entity</a>
<a href="java	script:alert(7)">tab</a>
<svg onload=alert(8)><circle r=1 /></svg>
<svg><a xlink:href="javascript:alert(9)"><text>t</text></a></svg>
<iframe src="https://evil.example/"></iframe>
<!-- --><script>alert(10)</script><!-- -->
<!--<img src="--><img src=x onerror=alert(11)>-->
<img/src=x/onerror=alert(12)>
<noscript><p title="</noscript><img src=x onerror=alert(13)>"></noscript>
<div style="width: expression(alert(14)); background: url(javascript:alert(15))">styled</div>
<style>body { background: url(javascript:alert(16)) }</style>
<form action="https://evil.example/"><input name=a><button formaction=javascript:alert(17)>go</button></form>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxOCk8L3NjcmlwdD4=">data link</a>
<object data="x.swf"></object><embed src="x.swf">
<math><mi xlink:href="javascript:alert(19)">m</mi></math>
<base href="javascript:alert(20)//">
<meta http-equiv="refresh" content="0; url=javascript:alert(21)">
<details open ontoggle=alert(22)><summary>s</summary>d</details>
<div class="navbar-fixed-top">borrowed layout class</div>

[markdown link](javascript:alert(23)) and [spaced](  JaVaScRiPt:alert(24) ) and ![image](javascript:alert(25))
and an autolink <javascript:alert(26)> and [a reference][r] and ![svg attachment](attachment:evil.svg)

[r]: javascript:alert(27)
"""
CLEAN_MARKDOWN = "# Answer\n\nMy answer, with a [link](https://example.org/).\n"
MATH_AND_TABLE = r"""## Forward pass

The state is $h_t = \tanh(W h_{t-1} + U x_t)$, and $a < b$.

$$
y_t = \mathrm{softmax}(V h_t)
$$

| step | loss |
|:-----|-----:|
| 1    | 2.30 |

- first
- second

```python
if a < b:
    print("</script>")
```

See [the notes](https://example.org/notes) and ![a plot](attachment:plot.png).
"""
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()
SVG_ATTACHMENT = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(40)'/>").decode()


def _hostile_outputs():
    new = nbformat.v4.new_output
    return [
        new("display_data", data={"text/html": "<img src=x onerror=alert(50)>"}),
        new("display_data", data={"text/html": "<b>table</b>", "text/plain": "plain table"},
            metadata={"text/html": {"isolated": True}}),
        new("execute_result", data={"image/svg+xml": "<svg><script>alert(51)</script></svg>"}, execution_count=1),
        new("display_data", data={"text/markdown": "[m](javascript:alert(52)) <img src=x onerror=alert(53)>"}),
        new("display_data", data={"application/javascript": "alert(54)"}),
        new("display_data", data={"text/latex": r"$x$ \href{javascript:alert(55)}{x}"}),
        new("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "x"},
                                  "text/plain": "widget"}),
        # nbconvert writes width and height into the <img> tag unquoted.
        new("display_data", data={"image/png": PNG},
            metadata={"image/png": {"width": "1 onerror=alert(56)"}, "filenames": {"image/png": "javascript:1"}}),
        new("display_data", data={"image/png": 'AAAA" onerror="alert(57)'}),
        new("stream", name="stdout", text="<script>alert(58)</script>\n"),
        new("error", ename="AssertionError", evalue="<script>alert(59)</script>",
            traceback=["<img src=x onerror=alert(60)>"]),
    ]


def _notebook(hostile: bool):
    v4 = nbformat.v4
    answer = v4.new_markdown_cell(HOSTILE_MARKDOWN if hostile else CLEAN_MARKDOWN, metadata={
        "nbgrader": {"solution": True, "grade": True, "grade_id": "written", "points": 1},
        "tags": ['x" onmouseover="alert(70)' if hostile else "answer"]})
    if hostile:
        answer.attachments = {"evil.svg": {"image/svg+xml": SVG_ATTACHMENT}}
    prose = v4.new_markdown_cell(MATH_AND_TABLE, attachments={"plot.png": {"image/png": PNG}})
    code = v4.new_code_cell('print("</script><script>alert(71)</script>")' if hostile else "print(1)",
                            metadata={"nbgrader": {"solution": True, "grade": False,
                                                   "grade_id": 'code"><script>alert(72)</script>' if hostile
                                                   else "code"}})
    code.outputs = _hostile_outputs() if hostile else [
        nbformat.v4.new_output("stream", name="stdout", text="1\n"),
        nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"})]
    cells = [answer, prose, code]
    if hostile:
        cells += [v4.new_raw_cell("<script>alert(73)</script><img src=x onerror=alert(74)>",
                                  metadata={"raw_mimetype": "text/html"}),
                  v4.new_raw_cell("<script>alert(75)</script>", metadata={"format": "text/html"})]
    metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    if hostile:
        metadata.update(title="</title><script>alert(76)</script>", widgets={
            "application/vnd.jupyter.widget-state+json": {"state": {}, "x": "</script><script>alert(77)"}})
    return v4.new_notebook(cells=cells, metadata=metadata)


class _FakeGrades(Preprocessor):
    """What GetGrades adds, without a gradebook: scores on graded cells and the page's totals."""

    enabled = True
    comment = "Good start. <img src=x onerror=alert(80)> [see](javascript:alert(81))"

    def preprocess(self, nb, resources):
        resources["nbgrader"].update(score=1.0, max_score=2.0, late_penalty=0.0)
        for cell in nb.cells:
            grading = cell.metadata.get("nbgrader", {})
            if grading.get("grade"):
                grading.update(score=1.0, points=1.0)
            if grading.get("solution"):
                grading["comment"] = self.comment
        return nb, resources


def _course_config():
    return PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()


def _feedback_page(nb) -> str:
    """The feedback HTML for ``nb``, built as nbgrader's GenerateFeedback builds it."""
    from nbgrader.converters import GenerateFeedback

    config = _course_config()
    converter = GenerateFeedback(coursedir=CourseDirectory(config=config), config=config)
    exporter = converter.exporter_class(parent=converter, config=converter.config)
    for preprocessor in converter.preprocessors:
        if preprocessor.__name__ == "LocalMathJax":
            continue  # it copies MathJax into the course's feedback folder; the page is built in memory here
        exporter.register_preprocessor(_FakeGrades if preprocessor is GetGrades else preprocessor)
    page, _ = exporter.from_notebook_node(nb, resources={"nbgrader": {"notebook": "01_answer"}})
    return page


class _Features(HTMLParser):
    """Every way a parsed page could run code, as a count of (kind, detail)."""

    ACTIVE_TAGS = {"script", "iframe", "frame", "object", "embed", "applet", "form", "input", "button", "svg",
                   "math", "style", "link", "meta", "base", "noscript", "template", "textarea", "video", "audio"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = collections.Counter()

    def handle_starttag(self, tag, attrs):
        if tag in self.ACTIVE_TAGS:
            self.found["tag", tag, dict(attrs).get("src") or dict(attrs).get("type")] += 1
        for name, value in attrs:
            url = re.sub(r"[\x00-\x20\x7f]+", "", value or "").lower()
            if name.startswith("on"):
                self.found["handler", name, None] += 1
            if re.match(r"^(javascript|vbscript|livescript):", url) or "javascript:" in url:
                self.found["script url", tag, name] += 1
            if url.startswith("data:") and not re.match(r"^data:image/(png|jpeg|gif);", url):
                self.found["data url", tag, name] += 1
            if name == "style":
                self.found["style attribute", tag, None] += 1

    handle_startendtag = handle_starttag


def _features(page: str) -> collections.Counter:
    parser = _Features()
    parser.feed(page)
    parser.close()
    return parser.found


def _tags(page: str) -> list[str]:
    # Markup as written: text the template escaped (the student's own words) cannot start with "<".
    return re.findall(r"<[A-Za-z!/][^>]*>", page)


def _active_in_tag(tag: str) -> bool:
    # Quoted values are only values ('src="x/onerror=1"' is a relative URL); names are checked without them.
    names = re.sub(r"\"[^\"]*\"|'[^']*'", "", tag)
    return bool(re.search(r"[\s/]on[a-z]+\s*=", names, re.I)
                or re.search(r"javascript|vbscript|data:text|data:image/svg", tag, re.I)
                or re.match(r"<(script|iframe|object|embed|svg|math|form|style|base|meta|link)\b", tag, re.I))


@pytest.fixture(scope="module")
def pages():
    return _feedback_page(_notebook(hostile=False)), _feedback_page(_notebook(hostile=True))


def test_feedback_page_has_no_active_content_from_the_submission(pages):
    clean, hostile = pages
    # The page's own scripts (MathJax from its CDN and its configuration) are in both pages.
    assert len(re.findall(r"<script", hostile, re.I)) == len(re.findall(r"<script", clean, re.I))
    # Column alignment (text-align) is the one style attribute markdown writes; clean pages have it too.
    assert _features(hostile) == _features(clean), _features(hostile) - _features(clean)
    for tag in set(_tags(hostile)) - set(_tags(clean)):
        assert not _active_in_tag(tag), tag
    assert not re.search(r"class=\"[^\"]*navbar-fixed-top", hostile)  # the page's layout classes stay its own


def test_what_the_student_displayed_is_still_shown_as_text(pages):
    _, hostile = pages
    text = html_lib.unescape(re.sub(r"<[^>]+>", "", hostile))
    assert "<img src=x onerror=alert(50)>" in text  # the HTML output, as text
    assert "plain table" in text and "widget" in text
    assert "<script>alert(58)</script>" in text  # stdout
    assert "<script>alert(73)</script>" in text  # the raw cell, as text
    assert 'print("</script><script>alert(71)</script>")' in text
    assert "Good start." in text  # the grader's comment, sanitised
    assert hostile.count("data:image/png;base64,") >= 2  # the PNG output and the PNG attachment


def test_markdown_still_renders_headings_math_tables_lists_and_code(pages):
    clean, _ = pages
    assert re.search(r"<h2[^>]*>Forward pass", clean)
    assert r"$h_t = \tanh(W h_{t-1} + U x_t)$" in clean and "$a &lt; b$" in clean
    assert r"y_t = \mathrm{softmax}(V h_t)" in clean
    assert re.search(r'<table>.*<th style="text-align:left;?">step</th>.*<td style="text-align:right;?">2.30</td>',
                     clean.replace("&#10;", "\n"), re.S)
    assert re.search(r"<ul>.*<li>first</li>.*<li>second</li>", clean.replace("&#10;", "\n"), re.S)
    assert '<span class="k">if</span>' in clean and "&lt;/script&gt;" in clean
    assert '<a href="https://example.org/notes">the notes</a>' in clean


@pytest.mark.parametrize("fragment", [
    "<img src=x onerror=alert(1)>", "<ScRiPt>alert(1)</sCrIpT>", '<a href="javascript:alert(1)">x</a>',
    "<a href=JaVaScRiPt:alert(1)>x</a>", '<a href="&#106;avascript:alert(1)">x</a>', "<svg onload=alert(1)>",
    "<iframe src=//evil.example></iframe>", '<!--<img src="--><img src=x onerror=alert(1)>-->',
    "<img/src=x/onerror=alert(1)>", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<div style=\"background:url(javascript:alert(1))\">x</div>", "<style>*{x:expression(alert(1))}</style>",
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">', "<form><button formaction=javascript:alert(1)>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>", "<details open ontoggle=alert(1)>",
])
def test_sanitise_html_leaves_no_active_markup(fragment):
    cleaned = feedback.sanitise_html(fragment)
    assert not _features(cleaned), (fragment, cleaned)
    assert not any(_active_in_tag(tag) for tag in _tags(cleaned)), (fragment, cleaned)


def test_sanitise_html_keeps_bitmaps_and_ordinary_links():
    cleaned = feedback.sanitise_html(f'<img src="data:image/png;base64,{PNG}" width="10"> <a href="#x">a</a>'
                                     '<a href="https://example.org/">b</a>')
    assert f'src="data:image/png;base64,{PNG}"' in cleaned and 'width="10"' in cleaned
    assert 'href="#x"' in cleaned and 'href="https://example.org/"' in cleaned


def test_sanitised_markdown_is_not_read_as_markdown_again():
    # Text left over from removed tags must not become a link in the template's markdown pass.
    block = feedback.render_markdown_safely("<iframe>[x](javascript:alert(1))</iframe>\n\n# Title\n\ntext")
    again = feedback._markdown_to_html(block)
    assert again.strip() == block
    assert "javascript" not in block and "<h1" in block


def test_feedback_runs_sanitising_after_gradebook_and_hidden_tests():
    preprocessors = _course_config().GenerateFeedback.preprocessors
    names = [p.__name__ for p in preprocessors]
    assert names[0] == "RemoveHiddenTests"
    assert names.index("GetGrades") < names.index("SanitiseStudentMarkup")
    assert "CSSHTMLHeaderPreprocessor" in names


def test_an_image_naming_a_missing_attachment_does_not_lose_the_page():
    # nbconvert raises InvalidNotebook for it, and nbgrader then writes no feedback for the notebook.
    nb = _notebook(hostile=False)
    nb.cells.append(nbformat.v4.new_markdown_cell("![plot](attachment:nothing.png) and text after it"))
    assert "and text after it" in _feedback_page(nb)


@pytest.mark.slow  # about 3 s: the gradebook's migrations and nbgrader's converter
# nbgrader's Gradebook.add_submission under SQLAlchemy 2.1 (nbgrader's issue, not this test's).
@pytest.mark.filterwarnings("ignore:Object of type:sqlalchemy.exc.SAWarning")
def test_generate_feedback_writes_a_clean_page_from_the_gradebook(tmp_path):
    """End to end: nbgrader's GenerateFeedback with the course's config, a real gradebook and GetGrades."""
    from nbgrader.api import Gradebook
    from nbgrader.converters import GenerateFeedback

    nb = _notebook(hostile=True)
    nb.cells[2].metadata["nbgrader"]["grade_id"] = "code"  # GetGrades looks every solution cell up
    (tmp_path / "autograded" / "alice" / "ps1").mkdir(parents=True)
    nbformat.write(nb, str(tmp_path / "autograded" / "alice" / "ps1" / "01_answer.ipynb"))
    db_url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(db_url, "rnncourse") as gb:
        gb.add_assignment("ps1")
        gb.add_notebook("01_answer", "ps1")
        gb.add_grade_cell("written", "01_answer", "ps1", max_score=1, cell_type="markdown")
        gb.add_solution_cell("written", "01_answer", "ps1")
        gb.add_solution_cell("code", "01_answer", "ps1")
        gb.add_student("alice")
        gb.add_submission("ps1", "alice")
        comment = gb.find_comment("written", "01_answer", "ps1", "alice")
        comment.manual_comment = _FakeGrades.comment
        gb.db.commit()
    config = _course_config()
    config.CourseDirectory.root = str(tmp_path)
    config.CourseDirectory.db_url = db_url
    converter = GenerateFeedback(coursedir=CourseDirectory(config=config), config=config)
    converter.coursedir.assignment_id = "ps1"
    converter.start()
    page = (tmp_path / "feedback" / "alice" / "ps1" / "01_answer.html").read_text()
    clean = _feedback_page(_notebook(hostile=False))
    assert len(re.findall(r"<script", page, re.I)) == len(re.findall(r"<script", clean, re.I))
    assert _features(page) == _features(clean), _features(page) - _features(clean)
    assert not [tag for tag in set(_tags(page)) - set(_tags(clean)) if _active_in_tag(tag)]
    assert "Good start." in page and "Written response" in page
