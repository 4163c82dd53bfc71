"""The built site in a real browser: offline, math typeset, figures loaded, links resolve.

Every HTML page of `_build/html` (all of them but the vendored files under `_static/`) is
served on loopback by a `http.server` in a thread and opened in Debian's headless Chromium,
driven by Playwright (never `playwright install`: the browser is `/usr/bin/chromium`). One
crawl records, per page, what the browser saw; the tests below each check one property of
every page, so one failure names every page and every problem at once.

Where Chromium is missing the browser tests skip with the install command, except under CI
(the environment variable CI is set), where they fail: CI must test the site.

Screenshots land in `test-artifacts/screenshots/` (ignored by git).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from support import ROOT

pytestmark = pytest.mark.slow

HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
# Chromium on a machine with no network: no background traffic, no sandbox (we run as root).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
SEARCH_TERM = "LSTM"  # in the landing page's chapter table, so the index must find it

CHAPTER_1 = "book/01_sequences_and_recurrence.html"
EXERCISE = "exercises/01_rnn_forward/01_rnn_forward.html"

# TeX that MathJax should have replaced. Looked for in the visible text of a page outside
# code, pre and math elements.
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\\end\{|\\frac\{|\$[^$\s][^$\n]{0,80}\\[a-zA-Z]")


def site_pages() -> list[str]:
    """Every HTML page of the site, relative to _build/html, without the vendored _static/."""
    return sorted(
        p.relative_to(HTML).as_posix()
        for p in HTML.rglob("*.html")
        if not p.relative_to(HTML).as_posix().startswith(("_static/", "_sources/"))
    )


def redirect_target(page: str) -> str | None:
    """The page a meta-refresh page (Jupyter Book's root index.html) sends the reader to."""
    m = re.search(r'http-equiv="refresh"[^>]*url=([^"]+)"', (HTML / page).read_text(), re.I)
    return m.group(1).strip() if m else None


# --------------------------------------------------------------------------- static checks


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    log = built_site.stdout + built_site.stderr
    assert built_site.returncode == 0, f"jupyter-book build failed:\n{log[-6000:]}"
    return HTML


def test_no_page_loads_anything_from_another_host(site):
    """No script, style, image, font or frame comes from a CDN (links to read are fine)."""
    loads = re.compile(
        r"<(script|link|img|iframe|source|video|audio)\b[^>]*?\b(src|href)=\"((?:https?:)?//[^\"]+)\"", re.I
    )
    found = []
    for page in site_pages():
        for tag, _attr, url in loads.findall((site / page).read_text()):
            found.append(f"{page}: <{tag}> {url}")
    assert not found, "pages load files from other hosts:\n" + "\n".join(found)


def test_mathjax_is_served_from_the_site(site):
    component = site / "_static" / "mathjax" / "tex-chtml.js"
    assert component.is_file(), "book/_ext/course_site.py did not copy MathJax into _static/mathjax"
    fonts = list((site / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))
    assert len(fonts) > 10, "MathJax's CommonHTML fonts are missing from _static/mathjax"
    chapter = (site / CHAPTER_1).read_text()
    assert re.search(r'src="\.\./_static/mathjax/tex-chtml\.js(\?[^"]*)?"', chapter), (
        "chapter 1 does not load the local MathJax"
    )


def test_every_book_and_exercise_page_has_a_source_download(site):
    """sphinx-book-theme's download button: the source .md (and .ipynb) for chapters, .ipynb for exercises."""
    missing = []
    for page in site_pages():
        if not page.startswith(("book/", "exercises/")):
            continue
        text = (site / page).read_text()
        links = re.findall(r'href="([^"]*_sources/[^"]+)"', text)
        targets = [(site / page).parent / link for link in links]
        if not any(t.is_file() for t in targets):
            missing.append(f"{page}: {links or 'no download link'}")
        if page.startswith("exercises/") and not any(str(t).endswith(".ipynb") for t in targets):
            missing.append(f"{page}: the download is not the .ipynb notebook")
    assert not missing, "pages without a working download button:\n" + "\n".join(missing)


def test_every_chapter_notebook_downloads_as_an_ipynb(site):
    """A chapter that is a notebook offers an .ipynb that Jupyter opens as shipped (course_site.py)."""
    import nbformat

    chapters = [md for md in sorted((ROOT / "book").glob("*.md")) if "```{code-cell}" in md.read_text()]
    assert chapters, "no chapter has code cells"
    problems = []
    for md in chapters:
        page = site / "book" / f"{md.stem}.html"
        links = re.findall(rf'href="([^"]*_sources/book/{re.escape(md.stem)}\.ipynb)"', page.read_text())
        if not links:
            problems.append(f"{page.relative_to(site)}: no .ipynb in the download button")
            continue
        target = (page.parent / links[0]).resolve()
        if not target.is_file():
            problems.append(f"{page.relative_to(site)}: {links[0]} does not exist")
            continue
        nb = nbformat.read(target, as_version=4)
        nbformat.validate(nb)
        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        if nb.metadata.get("kernelspec", {}).get("name") != "python3":
            problems.append(f"{target.name}: kernelspec {nb.metadata.get('kernelspec')}, expected python3")
        if len(code) != md.read_text().count("```{code-cell}"):
            problems.append(f"{target.name}: {len(code)} code cells, the chapter has "
                            f"{md.read_text().count('```{code-cell}')}")
        elif "import rnncourse as rc" not in code[0].source:
            problems.append(f"{target.name}: the setup cell does not import rnncourse")
        elif "myst_nb" in "".join(cell.source for cell in code) and "except ImportError" not in code[0].source:
            # myst_nb is a build tool, not in the student extra: glue must not stop a reader's run
            problems.append(f"{target.name}: the notebook needs myst_nb (glue) to run")
    assert not problems, "chapter notebooks that cannot be downloaded and opened:\n" + "\n".join(problems)


# --------------------------------------------------------------------------- the browser


@dataclass
class PageRecord:
    """What the browser saw on one page."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    has_math_script: bool = False
    mathjax: str = ""
    math_count: int = 0
    math_errors: int = 0
    raw_tex: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    narrow_overflow: tuple[int, int] | None = None
    redirect: str | None = None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output clean
        pass


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _no_browser(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the site must be tested in a browser)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        _no_browser("Chromium not installed: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser('Playwright not installed: pip install -e ".[dev]"')
    # Playwright gives every launch a fresh temporary profile (user data dir).
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


_VISIBLE_TEXT_JS = """() => {
  const body = document.querySelector('main') || document.body;
  const clone = body.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, mjx-container, .MathJax, textarea, kbd')
       .forEach(e => e.remove());
  return clone.innerText;
}"""

_MATHJAX_DONE_JS = """async () => {
  if (!window.MathJax || !window.MathJax.startup || !window.MathJax.startup.promise) return 'absent';
  await window.MathJax.startup.promise;
  return 'done';
}"""

_IMAGES_JS = """async () => {
  const imgs = Array.from(document.images);
  imgs.forEach(i => { i.loading = 'eager'; });
  await Promise.all(imgs.map(i => i.complete ? null :
      new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); })));
  return imgs.map(i => ({src: i.currentSrc || i.src, alt: (i.getAttribute('alt') || '').trim(),
                         width: i.naturalWidth}));
}"""


def _watch(page, base: str, record: PageRecord):
    host = urlsplit(base).netloc

    def on_route(route):
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != host:
            record.foreign_requests.append(url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", on_route)
    page.on("console", lambda m: m.type == "error" and record.console_errors.append(m.text))
    page.on("pageerror", lambda e: record.console_errors.append(f"uncaught: {e}"))
    page.on(
        "requestfailed",
        lambda r: urlsplit(r.url).netloc == host and record.failed_requests.append(f"{r.url} ({r.failure})"),
    )
    page.on("response", lambda r: r.status >= 400 and record.failed_requests.append(f"{r.url} ({r.status})"))


def _shoot(page, name: str):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


@pytest.fixture(scope="module")
def crawl(browser, server) -> dict[str, PageRecord]:
    """Open every page once, wide and narrow; return what was seen, keyed by page path."""
    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    records: dict[str, PageRecord] = {}
    wide = browser.new_context(viewport=WIDE, service_workers="block")
    narrow = browser.new_context(viewport=NARROW, device_scale_factor=2, service_workers="block")
    try:
        for path in site_pages():
            record = PageRecord(url=server + path)
            records[path] = record
            page = wide.new_page()
            _watch(page, server, record)
            target = redirect_target(path)
            if target:
                record.redirect = target
                page.goto(record.url)
                page.wait_for_url(urljoin(record.url, target), timeout=15_000)
                page.close()
                continue
            page.goto(record.url, wait_until="load")
            record.has_math_script = "_static/mathjax/" in (HTML / path).read_text()
            record.mathjax = page.evaluate(_MATHJAX_DONE_JS)
            record.math_count = page.locator("mjx-container").count()
            record.math_errors = page.locator("mjx-merror").count()
            text = page.evaluate(_VISIBLE_TEXT_JS)
            record.raw_tex = sorted({m.group(0) for m in RAW_TEX.finditer(text)})
            record.images = page.evaluate(_IMAGES_JS)
            record.links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
            record.ids = set(
                page.eval_on_selector_all(
                    "[id], a[name]", "els => els.map(e => e.id || e.getAttribute('name'))"
                )
            )
            if path == "book/index.html":
                _shoot(page, "landing.png")
            elif path == CHAPTER_1:
                _shoot(page, "chapter1.png")
                page.locator("section:has(> #sec-elman) mjx-container[display='true']").first.scroll_into_view_if_needed()
                _shoot(page, "chapter1-equations.png")
                page.locator("figure img").first.scroll_into_view_if_needed()
                _shoot(page, "chapter1-figure.png")
            elif path == EXERCISE:
                _shoot(page, "exercise.png")
            page.close()

            page = narrow.new_page()
            _watch(page, server, record)
            page.goto(record.url, wait_until="load")
            page.evaluate(_MATHJAX_DONE_JS)
            page.wait_for_timeout(100)  # let the theme settle its layout
            width, inner = page.evaluate(
                "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
            )
            if width > inner + 1:
                record.narrow_overflow = (width, inner)
            if path == CHAPTER_1:
                _shoot(page, "chapter1-narrow.png")
            page.close()
    finally:
        wide.close()
        narrow.close()
    return records


def _report(problems: list[str], what: str):
    assert not problems, f"{what}:\n" + "\n".join(problems)


def test_every_page_was_checked(crawl):
    pages = set(crawl)
    for must in ("index.html", "book/index.html", "book/00_preface.html", CHAPTER_1, EXERCISE,
                 "book/references.html", "search.html"):
        assert must in pages, f"{must} was not crawled"


def test_no_console_errors(crawl):
    _report([f"{p}: {e}" for p, r in crawl.items() for e in r.console_errors], "console errors")


def test_no_failed_requests(crawl):
    _report([f"{p}: {e}" for p, r in crawl.items() for e in r.failed_requests], "failed requests")


def test_no_request_leaves_the_loopback_server(crawl):
    _report(
        [f"{p}: {u}" for p, r in crawl.items() for u in r.foreign_requests],
        "requests to other hosts (blocked by the test)",
    )


def test_math_is_typeset(crawl):
    problems = []
    for path, r in crawl.items():
        if r.redirect:
            continue
        if r.has_math_script and r.mathjax != "done":
            problems.append(f"{path}: MathJax did not start ({r.mathjax})")
        if r.math_errors:
            problems.append(f"{path}: {r.math_errors} TeX errors (mjx-merror)")
        if r.raw_tex:
            problems.append(f"{path}: raw TeX in the visible text: {r.raw_tex[:5]}")
    for path in ("book/00_preface.html", CHAPTER_1):
        if crawl[path].math_count == 0:
            problems.append(f"{path}: no typeset math (mjx-container) on a page full of equations")
    _report(problems, "math not typeset")


def test_every_image_loads_and_has_alt_text(crawl):
    problems = []
    for path, r in crawl.items():
        for img in r.images:
            if img["width"] == 0:
                problems.append(f"{path}: image did not load: {img['src']}")
            if not img["alt"]:
                problems.append(f"{path}: image without alt text: {img['src']}")
    assert any(r.images for r in crawl.values()), "no page has an image: were the figures built?"
    _report(problems, "image problems")


def test_every_internal_link_and_anchor_resolves(crawl, server):
    problems = []
    for path, r in crawl.items():
        for href in r.links:
            url = urljoin(r.url, href)
            parts = urlsplit(url)
            if parts.scheme in ("mailto", "javascript", "data") or not url.startswith(server):
                continue  # links to other sites are for the reader to follow, not requests
            rel = unquote(parts.path)[len(urlsplit(server).path):]
            if rel == "" or rel.endswith("/"):
                rel += "index.html"
            target = HTML / rel
            if not target.is_file():
                problems.append(f"{path}: {href} -> {rel} does not exist")
                continue
            fragment = unquote(parts.fragment)
            if fragment and rel in crawl and fragment not in crawl[rel].ids:
                problems.append(f"{path}: {href} -> no id '{fragment}' on {rel}")
    _report(problems, "broken internal links")


def test_pages_fit_a_narrow_screen(crawl):
    _report(
        [
            f"{p}: scrollWidth {r.narrow_overflow[0]} > innerWidth {r.narrow_overflow[1]}"
            for p, r in crawl.items()
            if r.narrow_overflow
        ],
        f"pages wider than a {NARROW['width']}px screen",
    )


def test_search_finds_lstm_offline(browser, server, crawl):
    assert SEARCH_TERM in (HTML / "book" / "index.html").read_text(), (
        f"the landing page no longer mentions {SEARCH_TERM}: pick a search term the site has"
    )
    context = browser.new_context(viewport=WIDE, service_workers="block")
    record = PageRecord(url=f"{server}search.html?q={SEARCH_TERM}")
    try:
        page = context.new_page()
        _watch(page, server, record)
        page.goto(record.url, wait_until="load")
        results = page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=20_000)
        # Sphinx adds the results one by one and writes its summary only after the last one;
        # reading the list before that sees only the first few pages.
        page.wait_for_function(
            "() => /found/.test(document.querySelector('#search-results p.search-summary')?.innerText || '')",
            timeout=20_000,
        )
        hrefs = results.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        _shoot(page, "search-lstm.png")
    finally:
        context.close()
    assert hrefs, f"searching for {SEARCH_TERM} found nothing"
    assert any("book/index.html" in h for h in hrefs), f"the landing page is not among the results: {hrefs}"
    for href in hrefs:
        assert (HTML / unquote(urlsplit(href).path)).is_file(), f"search result {href} is not a page"
    assert not (record.console_errors or record.failed_requests or record.foreign_requests), record
