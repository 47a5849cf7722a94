"""The report in a real browser: Debian's chromium driven by Playwright.

The report of the bundled examples (and a small story of hostile articles)
is rendered into a temporary folder and opened from file://, as a
fact-checker opens it. Without chromium or Playwright these tests are
skipped, unless FACTCHECK_REQUIRE_BROWSER is set (CI sets it), which makes
them fail.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

import pytest

from factcheck import pipeline, store
from factcheck.model import Review

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NOTE = "Asked the hospital for its register."
HOSTILE = (
    "---\ntitle: <script>window.__pwned = 'title'</script> Ferry toll\noutlet: Skerra <b>Post</b>\n"
    "published: 2025-09-02\n---\n\n"
    "The sinking killed 41 people, the Coastguard Service said. "
    "<script>window.__pwned = 'body'</script>\n\n"
    "At least 60 people died, <img src=x onerror=\"window.__pwned = 'img'\"> said.\n\n"
    '<a href="javascript:window.__pwned=1">Click</a> for 3 photos.\n'
)
CALM = (
    "---\ntitle: Ferry sinks\noutlet: Bay Herald\npublished: 2025-09-02\n---\n\n"
    "The sinking killed 41 people, the Coastguard Service said.\n"
)

pytestmark = pytest.mark.timeout(60)


def _unavailable(reason: str) -> None:
    if os.environ.get("FACTCHECK_REQUIRE_BROWSER"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not there (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, timeout=30_000)
        yield chromium
        chromium.close()


class Watched:
    """A page whose console errors, script errors and requests are kept."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def close(self) -> None:
        self.context.close()
        assert self.errors == []
        assert [url for url in self.requests if not url.startswith("file://")] == []


@pytest.fixture
def tab(browser):
    watched = Watched(browser)
    yield watched
    watched.close()


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    """The report of the bundled examples, with one claim reviewed by hand."""
    out = tmp_path_factory.mktemp("examples")
    toolkit = pipeline.load_toolkit()
    claims_path, reports = out / "claims.yaml", out / "reports"
    result = pipeline.scan([REPO / "examples"], claims_path, reports, toolkit=toolkit)
    claimset = store.load_claims(claims_path)
    reviewed = tuple(
        replace(c, review=Review("needs-source", NOTE)) if c.text == "at least 300" else c for c in claimset.claims
    )
    store.save_claims(replace(claimset, claims=reviewed), claims_path)
    result = pipeline.rerender(claims_path, reports, toolkit=toolkit)
    return reports, result


def url(reports: Path, name: str) -> str:
    return (reports / name).as_uri()


def test_every_page_opens_without_errors_or_requests(examples, tab):
    reports, result = examples
    pages = sorted(p.relative_to(reports).as_posix() for p in reports.rglob("*.html"))
    assert len(pages) == 6 + len(result.groups) + len(result.claimset.sources)
    for name in pages:
        tab.page.goto(url(reports, name))
        assert tab.page.locator("main h1").count() == 1, name


def test_clicking_a_figure_shows_its_details(examples, tab):
    reports, _ = examples
    page = tab.page
    page.goto(url(reports, "documents/daily-ledger-hospital.html"))
    panel = page.locator("#claim-detail")
    assert panel.is_hidden()
    page.locator("mark.claim", has_text="at least 300").click()
    assert panel.is_visible()
    assert panel.locator(".detail-heading").inner_text() == "at least 300"
    details = dict(zip(panel.locator("dt").all_inner_texts(), panel.locator("dd").all_inner_texts()))
    assert details["Value"] == "300" and details["Interval"] == "≥ 300"
    assert details["Said by"] == "Dr. Ilan Petrov" and details["Measure"] == "dead"
    assert details["Review"] == "needs-source" and details["Note"] == NOTE
    assert details["Rule"].startswith("at least <figure>")
    assert details["Figure"] == "✕ conflict: open the figure"
    assert re.fullmatch(r"Find it in claims\.yaml by its id: c-[0-9a-f]{8}", panel.locator(".detail-hint").inner_text())
    assert "conflicts with" in panel.locator(".detail-explanation").inner_text()
    # The keyboard does the same: Escape closes, j opens the next figure.
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert page.evaluate("document.activeElement.textContent") == "at least 300"
    page.keyboard.press("j")
    assert panel.is_visible()
    assert panel.locator(".detail-heading").inner_text() == "112"
    page.keyboard.press("Enter")
    assert panel.is_hidden()


def test_filtering_claims_by_status(examples, tab):
    reports, result = examples
    page = tab.page
    in_conflict = {c for g in result.groups if g.status == "conflict" for c in g.claim_ids}
    page.goto(url(reports, "claims.html"))
    rows = page.locator("#claims-table tbody tr")
    total = rows.count()
    assert total == len(result.claimset.claims)
    page.select_option("form.filters select[name=status]", "conflict")
    visible = page.locator("#claims-table tbody tr:visible")
    assert sorted(visible.evaluate_all("rows => rows.map(r => r.dataset.claim)")) == sorted(in_conflict)
    assert page.locator(".filter-count").inner_text() == f"Showing {len(in_conflict)} of {total} claims"
    assert page.url.endswith("claims.html?status=conflict")
    # Words narrow further; the address brings the filter back.
    page.fill("form.filters input[name=q]", "Petrov")
    assert visible.count() == 1
    page.goto(url(reports, "claims.html") + "?review=needs-source")
    assert page.locator("#claims-table tbody tr:visible td[data-field=note]").all_inner_texts() == [NOTE]
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"


def test_following_a_conflict_to_its_group_page(examples, tab):
    reports, result = examples
    page = tab.page
    (conflict,) = [g for g in result.groups if g.status == "conflict"]
    page.goto(url(reports, "index.html"))
    page.locator("#queue-conflict ~ ol a.group-title").first.click()
    assert page.url == url(reports, f"figures/{conflict.id}.html")
    assert page.locator("h1 .badge").text_content().strip() == "✕ conflict"
    assert page.locator("#group-table tbody tr").count() == len(conflict.claim_ids)
    assert page.locator("#independent").inner_text() == f"Independent sources: {conflict.independent_sources}"
    # From a claim of the group to its place in the article, details open.
    page.locator("#group-table a", has_text="at least 300").click()
    assert page.url.startswith(url(reports, "documents/daily-ledger-hospital.html") + "#c-")
    assert page.locator("#claim-detail .detail-heading").inner_text() == "at least 300"


def test_the_graph_links_every_node(examples, tab):
    reports, result = examples
    page = tab.page
    page.goto(url(reports, "graph.html"))
    figures = page.locator("a.node-figure")
    assert figures.count() == len(result.groups)
    assert page.locator("a.node-figure.status-conflict").count() == 1
    assert page.locator("path.edge-conflict").count() >= 2
    page.locator("a.node-figure.status-conflict").click()
    (conflict,) = [g for g in result.groups if g.status == "conflict"]
    assert page.url == url(reports, f"figures/{conflict.id}.html")


def test_without_scripts_every_row_shows(examples, browser):
    reports, result = examples
    quiet = Watched(browser, java_script_enabled=False)
    quiet.page.goto(url(reports, "claims.html"))
    assert quiet.page.locator("#claims-table tbody tr:visible").count() == len(result.claimset.claims)
    assert quiet.page.locator("form.filters").is_hidden()
    quiet.page.goto(url(reports, "documents/daily-ledger-hospital.html"))
    assert quiet.page.locator("mark.claim").count() >= 5
    assert quiet.page.locator(".gutter .who", has_text="Dr. Ilan Petrov").count() == 1
    quiet.close()


def test_printing_leaves_out_the_controls(examples, tab):
    reports, _ = examples
    page = tab.page
    page.goto(url(reports, "claims.html"))
    page.emulate_media(media="print")
    assert page.locator(".masthead nav").is_hidden()
    assert page.locator("form.filters").is_hidden()
    assert page.locator("#claims-table").is_visible()


def test_hostile_article_stays_inert(tmp_path, tab):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "skerra-post.md").write_text(HOSTILE, encoding="utf-8")
    (articles / "bay-herald.md").write_text(CALM, encoding="utf-8")
    reports = tmp_path / "reports"
    pipeline.scan([articles], tmp_path / "claims.yaml", reports, toolkit=pipeline.load_toolkit())
    page = tab.page
    for name in ["index.html", "claims.html", "speakers.html", "documents.html", "graph.html",
                 "documents/skerra-post.html"]:
        page.goto(url(reports, name))
        assert page.evaluate("typeof window.__pwned") == "undefined", name
        assert page.locator("img").count() == 0, name
        assert page.locator("script").count() == 1, name
    article = page.locator(".article-text").inner_text()
    assert "<script>window.__pwned = 'body'</script>" in article
    assert "<img src=x onerror=\"window.__pwned = 'img'\">" in article
    assert page.locator("h1").inner_text() == "<script>window.__pwned = 'title'</script> Ferry toll"
    assert page.locator("a[href^='javascript:']").count() == 0
    page.locator("mark.claim").first.click()
    assert page.locator("#claim-detail").is_visible()
    assert page.evaluate("typeof window.__pwned") == "undefined"
