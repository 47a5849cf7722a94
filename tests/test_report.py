"""The static report: pages, highlighting, escaping, determinism."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import os
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from factcheck.model import (
    Claim,
    ClaimSet,
    Debris,
    Document,
    FigureGroup,
    Review,
    Source,
    Span,
)
from factcheck.report import highlight, render_report
from factcheck.report.text import escape_text, number_text

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"

CT_TEXT = (
    "Home | World | Sport\n\n"
    f"Floods hit the coast {SCRIPT}\n\n"
    "The floods killed 112 people, the National Disaster Agency said on Monday.\n"
    f"Readers wrote {IMG} in the comments.\n\n"
    "The surge reached about 3 metres in the harbour, and farmers lost 85 cattle.\n\n"
    "Photo: A. Person"
)
DL_TEXT = (
    "Dr. Ilan Petrov said at least 300 people died.\n\n"
    f"A reader calling himself {IMG} said 7 boats sank and the surge was 10 feet."
)
EVIL_ID = "../evil"
EVIL_TEXT = "Only 5 of them."
TEXTS = {"coastal-tribune": CT_TEXT, "daily-ledger": DL_TEXT, EVIL_ID: EVIL_TEXT}


def span_of(doc: str, text: str, after: int = 0) -> Span:
    start = TEXTS[doc].index(text, after)
    return Span(start, start + len(text))


def claim(claim_id: str, source: str, text: str, *, located: bool = True, **fields) -> Claim:
    values = dict(
        sentence=text,
        kind="count",
        value=None,
        unit=None,
        qualifier=None,
        low=None,
        high=None,
        measure=None,
        said_by=None,
        rule="<figure> <measure>",
    )
    values.update(fields)
    if located and "span" not in values:
        values["span"] = span_of(source, text)
    return Claim(id=claim_id, source=source, text=text, **values)


def story() -> tuple[ClaimSet, dict[str, Document], list[FigureGroup]]:
    agency = span_of("coastal-tribune", "National Disaster Agency")
    reader = span_of("daily-ledger", IMG)
    claims = (
        claim("ct-deaths", "coastal-tribune", "112 people", value=112, measure="killed",
              said_by="National Disaster Agency", said_by_span=agency, cue="said"),
        # Crosses "112 people": only one of the two can be highlighted.
        claim("ct-toll", "coastal-tribune", "killed 112", value=112, measure="killed"),
        claim("ct-surge", "coastal-tribune", "about 3 metres", kind="quantity", value=3,
              unit="metre", measure="surge", approximate=True),
        # Nested inside "about 3 metres".
        claim("ct-three", "coastal-tribune", "3 metres", kind="quantity", value=3, unit="metre",
              measure="surge"),
        claim("ct-cattle", "coastal-tribune", "85 cattle", value=85, measure="cattle",
              review=Review(status="disputed", note=f"check this {SCRIPT}")),
        claim("ct-gone", "coastal-tribune", "120 homes", located=False, value=120,
              measure="homes", missing=True),
        claim("dl-deaths", "daily-ledger", "at least 300", value=300, low=300,
              qualifier="at least", measure="died", said_by="Dr. Ilan Petrov",
              said_by_span=span_of("daily-ledger", "Dr. Ilan Petrov")),
        claim("dl-boats", "daily-ledger", "7 boats", value=7, measure="boats", said_by=IMG,
              said_by_span=reader),
        claim("dl-surge", "daily-ledger", "10 feet", kind="quantity", value=10, unit="foot",
              measure="surge"),
        claim("mw-deaths", "meridian-wire", "112 dead", span=Span(0, 8), value=112,
              measure="dead"),
        claim("e-1", EVIL_ID, "5", value=5, latent=True),
    )
    sources = (
        Source("coastal-tribune", "ct.html", "https://example.org/floods", "Floods hit the coast",
               "Coastal Tribune", "2024-03-04", "aa", "ok"),
        Source("daily-ledger", "dl.html", None, f"{SCRIPT} Death toll disputed", None,
               "2024-03-05", "bb", "ok"),
        Source("meridian-wire", "mw.html", None, "Officials confirm toll", "Meridian Wire",
               "2024-03-05", "cc", "unavailable", reason="file not found"),
        Source(EVIL_ID, "evil.html", None, "Evil", None, None, "dd", "ok"),
    )
    documents = {
        "coastal-tribune": Document(
            id="coastal-tribune",
            text=CT_TEXT,
            body=(Span(22, len(CT_TEXT) - 18),),
            title="Floods hit the coast",
            outlet="Coastal Tribune",
            published="2024-03-04",
            debris=(
                Debris(span_of("coastal-tribune", "Home | World | Sport"), "navigation"),
                Debris(span_of("coastal-tribune", "Photo: A. Person"), "photo credit"),
            ),
        ),
        "daily-ledger": Document(id="daily-ledger", text=DL_TEXT, body=(Span(0, len(DL_TEXT)),),
                                 title=f"{SCRIPT} Death toll disputed"),
        EVIL_ID: Document(id=EVIL_ID, text=EVIL_TEXT, body=(Span(0, len(EVIL_TEXT)),)),
    }
    groups = [
        FigureGroup("g-00000003", "single", "count", "cattle", None, ("ct-cattle",),
                    ("coastal-tribune",), (), "85 cattle reported only by Coastal Tribune.",
                    independent_sources=1, origins=("Coastal Tribune",)),
        FigureGroup("g-00000002", "shared", "quantity", "surge", "foot, metre",
                    ("ct-surge", "dl-surge"), ("coastal-tribune", "daily-ledger"), (),
                    "surge reported by 2 sources with compatible figures.",
                    independent_sources=1, origins=("the harbour office",),
                    relations=(("ct-surge", "dl-surge", "agrees"),)),
        FigureGroup("g-00000001", "conflict", "count", "deaths", None,
                    ("ct-deaths", "dl-deaths", "mw-deaths"),
                    ("coastal-tribune", "daily-ledger", "meridian-wire"),
                    ("Dr. Ilan Petrov", "National Disaster Agency"),
                    f"300 (at least 300; {IMG}, daily-ledger) conflicts with 112: "
                    "they cannot both hold.",
                    independent_sources=2, origins=("Dr. Ilan Petrov", "National Disaster Agency"),
                    timeline=(("2024-03-04", "112 (National Disaster Agency)", ("ct-deaths",)),
                              ("2024-03-05", "300 (Dr. Ilan Petrov)", ("dl-deaths",))),
                    relations=(("ct-deaths", "dl-deaths", "conflicts"), ("ct-deaths", "mw-deaths", "agrees"),
                               ("dl-deaths", "mw-deaths", "conflicts"))),
    ]
    return ClaimSet(sources=sources, claims=claims), documents, groups


EVIL_STEM = "doc-" + hashlib.sha1(EVIL_ID.encode()).hexdigest()[:12]
PAGES = [
    "index.html",
    "claims.html",
    "figures.html",
    "speakers.html",
    "documents.html",
    "graph.html",
    "figures/g-00000001.html",
    "figures/g-00000002.html",
    "figures/g-00000003.html",
    f"documents/{EVIL_STEM}.html",
    "documents/coastal-tribune.html",
    "documents/daily-ledger.html",
    "documents/meridian-wire.html",
]


class Page(HTMLParser):
    """Parses a page into what the tests look at, checking tag balance."""

    VOID = {"meta", "br", "img", "input", "link", "hr", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.marks: dict[str, str] = {}
        self.ids: list[str] = []
        self.paragraph_text: list[str] = []
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.in_script = False
        self.feed(html)
        self.close()
        assert [tag for tag, _ in self.stack] == [], "unclosed elements"

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "mark":
            self.marks[attributes["id"]] = ""
        if tag == "script":
            self.scripts.append("")
        if tag not in self.VOID:
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        for tag, attributes in self.stack:
            if tag == "mark":
                self.marks[attributes["id"]] += data
        if self.stack and self.stack[-1][0] == "script":
            self.scripts[-1] += data
        if any(tag == "p" for tag, _ in self.stack):
            self.paragraph_text.append(data)

    def texts_of(self, cls: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.elements if cls in (a.get("class") or "").split()]


def static(name: str) -> str:
    return resources.files("factcheck.report").joinpath("static", name).read_text("utf-8")


@pytest.fixture
def site(tmp_path) -> tuple[Path, list[Path]]:
    claimset, documents, groups = story()
    out = tmp_path / "site"
    return out, render_report(claimset, documents, groups, out, title="Floods <b>2024</b>")


def read(out: Path, name: str) -> str:
    return (out / name).read_text("utf-8")


def test_pages_written(site, tmp_path):
    out, written = site
    assert written == [out / name for name in PAGES]
    assert all(path.is_file() for path in written)
    # The id "../evil" cannot escape the output directory.
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert files == sorted(f"site/{name}" for name in PAGES)


def test_untrusted_text_is_escaped_everywhere(site):
    out, _ = site
    js = static("report.js")
    for name in PAGES:
        html = read(out, name)
        page = Page(html)
        assert "<script>alert" not in html
        assert "<img" not in html
        for tag, attributes in page.elements:
            assert not [a for a in attributes if a.startswith("on")], (name, tag, attributes)
            assert tag != "img"
        assert page.scripts == [js]
    ct = read(out, "documents/coastal-tribune.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in ct
    assert "&lt;img src=x onerror=alert(1)&gt;" in ct
    assert "check this &lt;script&gt;alert(1)&lt;/script&gt;" in ct  # review note
    dl = read(out, "documents/daily-ledger.html")
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; Death toll disputed" in dl
    assert '<span class="speaker" title="speaker: &lt;img src=x onerror=alert(1)&gt;">' in dl
    index = read(out, "index.html")
    assert "300 (at least 300; &lt;img src=x onerror=alert(1)&gt;, daily-ledger)" in index
    assert "Floods &lt;b&gt;2024&lt;/b&gt;" in index


def test_no_external_references(site):
    out, _ = site
    for name in PAGES:
        for _, attributes in Page(read(out, name)).elements:
            for attr in ("href", "src", "action", "srcset"):
                value = attributes.get(attr) or ""
                external = ("http:", "https:", "//", "javascript:", "data:")
                assert not value.startswith(external), value
    # The source address is shown as text, not linked.
    assert "<code>https://example.org/floods</code>" in read(out, "documents/coastal-tribune.html")


def test_content_security_policy_allows_only_the_inlined_assets(site):
    out, _ = site

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    policy = [a["content"] for t, a in Page(read(out, "index.html")).elements
              if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert policy == [
        f"default-src 'none'; style-src 'sha256-{digest(static('report.css'))}'; "
        f"script-src 'sha256-{digest(static('report.js'))}'; img-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    ]


def test_claims_are_highlighted_with_their_own_text(site):
    out, _ = site
    claimset, _, _ = story()
    page = Page(read(out, "documents/coastal-tribune.html"))
    assert page.marks == {
        "ct-toll": "killed 112",
        "ct-surge": "about 3 metres",
        "ct-three": "3 metres",
        "ct-cattle": "85 cattle",
    }
    for doc_id, stem in [("coastal-tribune", "coastal-tribune"), ("daily-ledger", "daily-ledger"),
                         ("meridian-wire", "meridian-wire"), (EVIL_ID, EVIL_STEM)]:
        ids = Page(read(out, f"documents/{stem}.html")).ids
        for c in claimset.claims:
            if c.source == doc_id:
                assert ids.count(c.id) == 1, (doc_id, c.id)
    assert Page(read(out, "documents/daily-ledger.html")).marks == {
        "dl-deaths": "at least 300",
        "dl-boats": "7 boats",
        "dl-surge": "10 feet",
    }


def test_mark_attributes(site):
    out, _ = site
    page = Page(read(out, "documents/coastal-tribune.html"))
    marks = {a["id"]: a for t, a in page.elements if t == "mark"}
    cattle = marks["ct-cattle"]
    assert cattle["class"] == "claim status-single"
    assert cattle["tabindex"] == "0"
    assert cattle["data-review"] == "disputed"
    assert cattle["title"] == (
        "value: 85\ninterval: 85\nunit: —\nmeasure: cattle\nsaid by: the article\n"
        "matched by: <figure> <measure>\nreview: disputed\nfigure: single (g-00000003)"
    )
    assert marks["ct-surge"]["class"] == "claim status-shared"
    assert marks["ct-toll"]["class"] == "claim status-ungrouped"


def test_overlapping_claim_is_listed_not_highlighted(site):
    out, _ = site
    html = read(out, "documents/coastal-tribune.html")
    rows = {a["data-claim"]: a for t, a in Page(html).elements if t == "tr" and "data-claim" in a}
    assert rows["ct-deaths"]["id"] == "ct-deaths"
    assert "id" not in rows["ct-toll"]
    assert "Not highlighted: it overlaps another highlighted claim." in html


def test_speaker_debris_and_paragraphs(site):
    out, _ = site
    page = Page(read(out, "documents/coastal-tribune.html"))
    assert [a["title"] for a in page.texts_of("debris") if a.get("title")] == [
        "not article text: navigation",
        "not article text: photo credit",
    ]
    assert [a["title"] for a in page.texts_of("speaker") if a.get("title")] == [
        "speaker: National Disaster Agency"
    ]
    section = read(out, "documents/coastal-tribune.html").split('aria-label="Article text">')[1]
    assert section.split("</section>")[0].count("<p>") == 5


def test_missing_claims_and_unavailable_documents(site):
    out, _ = site
    ct = read(out, "documents/coastal-tribune.html")
    missing = ct.split('<h2 id="missing">No longer in the document</h2>')[1]
    assert '<table class="claims" id="missing-table">' in missing
    row = [a for t, a in Page(ct).elements if t == "tr" and a.get("data-claim") == "ct-gone"]
    assert row[0]["id"] == "ct-gone"
    assert '<td data-field="figure">120 homes<br><small class="why">No longer in the document.</small></td>' in missing
    mw = read(out, "documents/meridian-wire.html")
    assert "The text of this document is not available (file not found)." in mw
    row = [a for t, a in Page(mw).elements if t == "tr" and a.get("data-claim") == "mw-deaths"]
    assert row[0]["id"] == "mw-deaths"
    assert "<mark" not in mw


def test_figures_page_lists_groups_in_order_and_links_their_pages(site):
    out, _ = site
    page = Page(read(out, "figures.html"))
    items = [a for t, a in page.elements if t == "li" and "data-queue" in a]
    assert [(a["data-status"], a["data-queue"]) for a in items] == [
        ("conflict", "conflict"), ("shared", "one-source"), ("single", "unattributed")
    ]
    titles = [a["href"] for t, a in page.elements if t == "a" and "group-title" in (a.get("class") or "")]
    assert titles == ["figures/g-00000001.html", "figures/g-00000002.html", "figures/g-00000003.html"]


def test_group_page_sets_the_claims_side_by_side(site):
    out, _ = site
    html = read(out, "figures/g-00000001.html")
    page = Page(html)
    rows = [a["data-claim"] for t, a in page.elements if t == "tr" and "data-claim" in a]
    assert rows == ["ct-deaths", "mw-deaths", "dl-deaths"]  # by value, then date
    links = [a["href"] for t, a in page.elements if t == "a" and "documents/" in a.get("href", "") and "#" in a["href"]]
    assert links[:3] == [
        "../documents/coastal-tribune.html#ct-deaths",
        "../documents/meridian-wire.html#mw-deaths",
        "../documents/daily-ledger.html#dl-deaths",
    ]
    conflicted = [a["data-claim"] for t, a in page.elements if t == "tr" and a.get("class") == "conflicted"]
    assert conflicted == ["ct-deaths", "mw-deaths", "dl-deaths"]
    # The sentence with its figure in bold, escaped.
    assert '<td class="sentence"><strong>at least 300</strong></td>' in html
    assert '<h2 id="independent">Independent sources: 2</h2>' in html
    assert "<li>Dr. Ilan Petrov</li>\n<li>National Disaster Agency</li>" in html
    pairs = html.split('<ul class="pairs">')[1].split("</ul>")[0]
    assert pairs.count("<li") == 1
    assert '>at least 300 (daily-ledger)</a> <span class="relation">conflicts</span> with ' in pairs
    assert ">112 people (Coastal Tribune)</a>, <a" in pairs and ">112 dead (Meridian Wire)</a>" in pairs
    timeline = html.split('<table class="timeline">')[1].split("</table>")[0]
    assert "<td>2024-03-04</td><td>112 (National Disaster Agency)</td>" in timeline
    assert '<a href="../documents/daily-ledger.html#dl-deaths"><code>dl-deaths</code></a>' in timeline


def test_index_puts_the_work_in_order(site):
    out, _ = site
    html = read(out, "index.html")
    page = Page(html)
    hrefs = [a["href"] for t, a in page.elements if t == "a"]
    queue = [a["id"] for t, a in page.elements if t == "h2" and a.get("id", "").startswith("queue-")]
    assert queue == ["queue-conflict", "queue-one-source", "queue-unattributed"]
    groups = [h for h in hrefs if h.startswith("figures/")]
    assert groups == ["figures/g-00000001.html", "figures/g-00000002.html", "figures/g-00000003.html"]
    for stem in ("coastal-tribune", "daily-ledger", "meridian-wire", EVIL_STEM):
        assert f"documents/{stem}.html" in hrefs
    assert '<dd><a href="claims.html">10</a></dd>' in html  # the claims still in their documents
    assert "<div><dt>No longer in their document</dt><dd>1</dd></div>" in html
    assert "<strong>1 of 10</strong> claims reviewed (10%)." in html
    assert '<a href="claims.html?review=disputed">disputed</a></td><td class="num">1</td>' in html
    assert '<a href="claims.html?review=unreviewed">unreviewed</a></td><td class="num">9</td>' in html
    assert (
        '<span class="docstatus docstatus-problem"><span class="symbol" aria-hidden="true">⚠</span> unavailable</span>'
        in html
    )
    bar = [a for t, a in page.elements if t == "rect" and a.get("class") == "bar-disputed"]
    assert (bar[0]["x"], bar[0]["width"]) == ("0.000", "10.000")


def test_claims_page_rows_carry_what_the_filters_read(site):
    out, _ = site
    page = Page(read(out, "claims.html"))
    rows = {a["data-claim"]: a for t, a in page.elements if t == "tr" and "data-claim" in a}
    assert list(rows)[:3] == ["ct-deaths", "ct-toll", "ct-surge"]  # the claims file's order
    deaths = rows["ct-deaths"]
    assert (deaths["data-status"], deaths["data-review"], deaths["data-kind"]) == ("conflict", "unreviewed", "count")
    assert (deaths["data-speaker"], deaths["data-outlet"]) == ("national disaster agency", "Coastal Tribune")
    assert rows["ct-toll"]["data-speaker"] == "(none)"
    assert rows["dl-boats"]["data-outlet"] == "daily-ledger"  # no outlet: the document id
    selects = {a["name"] for t, a in page.elements if t == "select"}
    assert selects == {"status", "review", "kind", "speaker", "outlet"}
    forms = [a for t, a in page.elements if t == "form"]
    assert forms[0]["data-target"] == "claims-table" and "hidden" in forms[0]


def test_speakers_page_gathers_each_speaker_across_documents(tmp_path):
    claimset, documents, groups = story()
    # The same agency, written with other capitals in another document.
    agency = claim("dl-agency", "daily-ledger", "7 boats", value=7, measure="boats",
                   said_by="national disaster agency")
    render_report(ClaimSet(claimset.sources, claimset.claims + (agency,)), documents, groups, tmp_path)
    html = (tmp_path / "speakers.html").read_text("utf-8")
    sections = [a["id"] for t, a in Page(html).elements if t == "section"]
    assert len(sections) == 3  # the agency, Petrov, the reader with the odd name
    first = html.split(f'<section class="speaker-entry" id="{sections[0]}"')[1].split("</section>")[0]
    assert ">National Disaster Agency</h2>" in first
    assert "2 claims in 2 documents (Coastal Tribune, daily-ledger)" in first
    assert "also written “national disaster agency”" in first
    doc = (tmp_path / "documents" / "coastal-tribune.html").read_text("utf-8")
    assert f'<a href="../speakers.html#{sections[0]}">National Disaster Agency</a>' in doc


def test_document_margin_shows_each_figure_beside_its_speaker(site):
    out, _ = site
    html = read(out, "documents/daily-ledger.html")
    gutters = [g.split("</ul>")[0] for g in html.split('<ul class="gutter"')[1:]]
    assert len(gutters) == 2
    assert (
        '<a href="#dl-deaths" data-claim="dl-deaths"><span class="symbol" aria-hidden="true">✕</span> at least 300</a>'
        in gutters[0]
    )
    assert '<span class="who">Dr. Ilan Petrov</span>' in gutters[0]
    assert '<span class="who">&lt;img src=x onerror=alert(1)&gt;</span>' in gutters[1]
    assert '<span class="who unattributed">no speaker named</span>' in gutters[1]


def test_graph_page_draws_documents_speakers_and_figures(site):
    out, _ = site
    page = Page(read(out, "graph.html"))
    nodes = {a["href"]: a["class"] for t, a in page.elements if t == "a" and "node" in (a.get("class") or "")}
    assert nodes["figures/g-00000001.html"] == "node node-figure status-conflict"
    assert nodes["documents/coastal-tribune.html"] == "node node-document status-ok"
    assert nodes["documents/meridian-wire.html"] == "node node-document status-unavailable"
    speakers = sorted(c for h, c in nodes.items() if h.startswith("speakers.html#speaker-"))
    assert speakers == ["node node-speaker status-none"] * 2
    edges = [a["class"] for t, a in page.elements if t == "path" and "edge" in (a.get("class") or "")]
    # Petrov's 300 conflicts with the agency's 112 and the wire's own 112.
    assert sorted(edges) == sorted([
        "edge edge-quotes", "edge edge-quotes",
        "edge edge-says edge-conflict", "edge edge-says edge-conflict",
        "edge edge-own edge-conflict",
        "edge edge-own", "edge edge-own", "edge edge-own",
    ])


def test_long_lists_are_cut_into_pages_and_old_pages_go(tmp_path):
    claimset, documents, groups = story()
    render_report(claimset, documents, groups, tmp_path, page_size=4)
    assert sorted(p.name for p in tmp_path.glob("claims*.html")) == ["claims-2.html", "claims-3.html", "claims.html"]
    first = Page((tmp_path / "claims.html").read_text("utf-8"))
    assert len([a for t, a in first.elements if t == "tr" and "data-claim" in a]) == 4
    pager = [a["href"] for t, a in first.elements if t == "a" and a.get("href", "").startswith("claims")]
    assert pager[-3:] == ["claims.html", "claims-2.html", "claims-3.html"]  # after the site's own menu
    render_report(claimset, documents, groups, tmp_path)
    assert sorted(p.name for p in tmp_path.glob("claims*.html")) == ["claims.html"]


def test_rendering_is_deterministic(tmp_path):
    claimset, documents, groups = story()
    first = render_report(claimset, documents, groups, tmp_path / "a")
    second = render_report(claimset, documents, list(reversed(groups)), tmp_path / "b")
    again = render_report(claimset, documents, groups, tmp_path / "a")
    for one, two, three in zip(first, second, again, strict=True):
        assert one.read_bytes() == two.read_bytes() == three.read_bytes()
    assert not [p for p in tmp_path.rglob("*.tmp")]


# Long ago, so that a page written again cannot keep this time by chance,
# however coarse the file system's clock.
LONG_AGO_NS = 1_000_000_000 * 1_000_000_000


def stamps(pages: Iterable[Path]) -> dict[Path, tuple[int, int]]:
    """Each page's inode and modification time: a page written again, even
    with the same bytes, gets a new inode (it is replaced) and a new time."""
    return {page: (page.stat().st_ino, page.stat().st_mtime_ns) for page in pages}


def backdate(pages: Sequence[Path]) -> dict[Path, tuple[int, int]]:
    """Set each page's modification time to ``LONG_AGO_NS``; return ``stamps``."""
    for page in pages:
        os.utime(page, ns=(LONG_AGO_NS, LONG_AGO_NS))
    return stamps(pages)


def test_rendering_again_leaves_unchanged_pages_alone(tmp_path):
    claimset, documents, groups = story()
    out = tmp_path / "site"
    written = render_report(claimset, documents, groups, out)
    contents = {page: page.read_bytes() for page in written}
    before = backdate(written)
    again = render_report(claimset, documents, groups, out)
    assert again == written  # still the site's pages, though none was written
    assert stamps(again) == before
    assert {page: page.read_bytes() for page in again} == contents
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_a_changed_page_is_written_again_and_only_it(tmp_path):
    claimset, documents, groups = story()
    out = tmp_path / "site"
    written = render_report(claimset, documents, groups, out)
    old = {page.relative_to(out): page.read_bytes() for page in written}
    before = backdate(written)
    # A person gives a verdict on one claim: the pages showing it change.
    claims = tuple(
        dataclasses.replace(c, review=Review(status="confirmed", note="Checked with the port.")) if c.id == "dl-boats"
        else c for c in claimset.claims
    )
    changed = dataclasses.replace(claimset, claims=claims)
    again = render_report(changed, documents, groups, out)
    fresh = render_report(changed, documents, groups, tmp_path / "fresh")
    assert [p.relative_to(out) for p in again] == [p.relative_to(tmp_path / "fresh") for p in fresh]
    rewritten = set()
    for page, clean in zip(again, fresh, strict=True):
        name = page.relative_to(out)
        assert page.read_bytes() == clean.read_bytes(), name
        if clean.read_bytes() == old[name]:
            assert stamps([page]) == {page: before[page]}, name
        else:
            assert page.stat().st_mtime_ns != LONG_AGO_NS, name
            assert page.stat().st_mode & 0o777 == 0o644, name
            rewritten.add(name.as_posix())
    assert "Checked with the port." in (out / "documents" / "daily-ledger.html").read_text("utf-8")
    assert {"claims.html", "speakers.html", "documents/daily-ledger.html"} <= rewritten
    assert {"graph.html", "documents/coastal-tribune.html", "figures/g-00000001.html"}.isdisjoint(rewritten)


def test_a_page_damaged_by_hand_is_written_again(tmp_path):
    claimset, documents, groups = story()
    out = tmp_path / "site"
    written = render_report(claimset, documents, groups, out)
    contents = {page: page.read_bytes() for page in written}
    claims_page = out / "claims.html"
    document_page = out / "documents" / "daily-ledger.html"
    figure_page = out / "figures" / "g-00000002.html"
    claims_page.write_bytes(contents[claims_page][:1000])  # cut short
    damaged = bytearray(contents[document_page])
    damaged[500] ^= 1  # the same length, one byte off
    document_page.write_bytes(bytes(damaged))
    figure_page.unlink()
    before = backdate([page for page in written if page.exists()])
    render_report(claimset, documents, groups, out)
    assert {page: page.read_bytes() for page in written} == contents
    for page in (claims_page, document_page, figure_page):
        assert page.stat().st_mtime_ns != LONG_AGO_NS, page
        assert page.stat().st_mode & 0o777 == 0o644, page
    untouched = [page for page in written if page not in (claims_page, document_page, figure_page)]
    assert stamps(untouched) == {page: before[page] for page in untouched}


def test_a_link_where_a_page_belongs_is_replaced_by_the_page(tmp_path):
    claimset, documents, groups = story()
    out = tmp_path / "site"
    render_report(claimset, documents, groups, out)
    elsewhere = tmp_path / "elsewhere.html"
    (out / "graph.html").rename(elsewhere)
    (out / "graph.html").symlink_to(elsewhere)  # holding the right bytes, but not a page of the site
    render_report(claimset, documents, groups, out)
    assert not (out / "graph.html").is_symlink()
    assert (out / "graph.html").read_bytes() == elsewhere.read_bytes()


def test_stale_pages_of_this_renderer_are_removed(tmp_path):
    claimset, documents, groups = story()
    out = tmp_path / "site"
    pages = out / "documents"
    pages.mkdir(parents=True)
    (pages / "notes.html").write_text("<p>my own notes</p>")
    render_report(claimset, documents, groups, out)
    old = pages / "old-story.html"
    old.write_bytes((pages / "coastal-tribune.html").read_bytes())
    render_report(claimset, documents, groups, out)
    assert not old.exists()
    assert (pages / "notes.html").exists()


def test_highlight_keeps_crossing_spans_well_formed():
    text = "Alpha beta gamma delta.\n\nEpsilon zeta."
    claims = [
        Claim("c1", "d", "beta gamma", "", "count", 1, None, None, None, None, None, None,
              span=Span(6, 16), said_by_span=Span(0, 10)),
        Claim("c2", "d", "gamma delta", "", "count", 1, None, None, None, None, None, None,
              span=Span(11, 22)),
        Claim("c3", "d", "wrong", "", "count", 1, None, None, None, None, None, None,
              span=Span(0, 5)),
    ]
    debris = [Debris(Span(13, 30), "credit")]
    markup, skipped = highlight(text, claims, debris)
    page = Page(str(markup))
    assert page.marks == {"c1": "beta gamma"}
    assert skipped == {
        "c2": "it overlaps another highlighted claim",
        "c3": "the text at its recorded position differs from the claim",
    }
    assert str(markup).count("<p>") == 2


def test_claim_across_a_blank_line_merges_the_paragraphs():
    text = "One.\n\nTwo."
    spanning = Claim("c", "d", "One. Two.", "", "count", 1, None, None, None, None, None, None,
                     span=Span(0, len(text)))
    markup, skipped = highlight(text, [spanning])
    assert skipped == {}
    assert str(markup).startswith('<div class="para"><p><mark class="claim status-ungrouped" id="c"')
    assert str(markup).count("<p>") == 1


def test_changed_document_is_flagged(tmp_path):
    claimset, documents, groups = story()
    documents["coastal-tribune"] = Document(
        id="coastal-tribune", text=CT_TEXT, body=(), sha256="changed"
    )
    render_report(claimset, documents, groups, tmp_path)
    html = (tmp_path / "documents" / "coastal-tribune.html").read_text("utf-8")
    assert "<li>The document has changed since its claims were recorded.</li>" in html


def test_escape_text_escapes_as_markupsafe_does():
    for text in ["", "plain 112 dead", SCRIPT, IMG, "Tom & Jerry's \"<b>\" ><", "&amp; already"]:
        assert escape_text(text) == str(escape(text))
        assert type(escape_text(text)) is str


def hostile(field: str) -> str:
    return f"<i onmouseover=alert(1)>{field}</i>"


def test_every_field_of_a_claim_is_escaped_on_every_page(tmp_path):
    figure, speaker = hostile("7"), hostile("speaker")
    sentence = f"{speaker} said {figure} boats sank."
    text = f"Intro.\n\n{sentence}\n\nThen 9 boats."
    fields = dict(sentence=sentence, kind=hostile("kind"), value=7, unit=hostile("unit"), qualifier=None,
                  low=7, high=7, measure=hostile("measure"), said_by=speaker, cue=hostile("cue"),
                  rule=hostile("rule"), review=Review(status=hostile("review"), note=hostile("note")))
    odd_id = 'c-"><i onmouseover=alert(1)>'
    start = text.index(figure)
    claims = (
        Claim(id=odd_id, source="port", text=figure, span=Span(start, start + len(figure)),
              said_by_span=Span(text.index(speaker), text.index(speaker) + len(speaker)), **fields),
        Claim(id="c-nine", source="port", text="9 boats", sentence="Then 9 boats.", kind="count", value=9,
              unit=None, qualifier=None, low=9, high=9, measure="boats", said_by=None,
              span=Span(text.index("9 boats"), text.index("9 boats") + 7)),
    )
    source = Source("port", "port.html", None, hostile("title"), hostile("outlet"), hostile("published"), "ee", "ok")
    group = FigureGroup(hostile("group"), "conflict", "count", hostile("group measure"), hostile("group unit"),
                        (odd_id, "c-nine", hostile("unknown claim")), ("port",), (speaker,),
                        hostile("explanation"), subject=hostile("subject"), outlets=(hostile("outlet"),),
                        independent_sources=1, origins=(hostile("origin"),),
                        timeline=((hostile("date"), hostile("timeline"), (odd_id,)),),
                        relations=((odd_id, "c-nine", "conflicts"),))
    document = Document(id="port", text=text, body=(Span(0, len(text)),))
    written = render_report(ClaimSet(sources=(source,), claims=claims), {"port": document}, [group], tmp_path)
    site = "".join(path.read_text("utf-8") for path in written)
    for path in written:
        page = Page(path.read_text("utf-8"))
        for tag, attributes in page.elements:
            assert tag not in ("i", "b"), (path.name, tag)
            assert not [a for a in attributes if a.startswith("on")], (path.name, tag, attributes)
    names = ["7", "speaker", "kind", "unit", "measure", "cue", "rule", "review", "note", "title", "outlet",
             "published", "group", "group measure", "group unit", "unknown claim", "explanation", "subject",
             "origin", "date", "timeline"]
    for name in names:
        assert f"&lt;i onmouseover=alert(1)&gt;{name}&lt;/i&gt;" in site, name
    assert 'id="c-&#34;&gt;&lt;i onmouseover=alert(1)&gt;"' in site


def test_a_page_that_cannot_be_written_stops_the_report(tmp_path):
    claimset, documents, groups = story()
    # A folder where a page belongs: the page cannot replace it.
    (tmp_path / "documents" / "daily-ledger.html").mkdir(parents=True)
    with pytest.raises(IsADirectoryError):
        render_report(claimset, documents, groups, tmp_path)
    assert [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")] == []


def _chosen_by_definition(text: str, claims: list[Claim]) -> dict[str, str]:
    """Which claims ``highlight`` must leave out for overlapping: in order of
    start (then longer first), a claim is left out when it crosses one kept
    before it. The plain quadratic reading of the rule, to check the
    renderer's faster one against."""
    kept: list[Span] = []
    left_out = {}
    for claim in sorted(claims, key=lambda c: (c.span.start, -c.span.end, c.id)):
        span = claim.span
        if not span.slice(text).strip() or " ".join(span.slice(text).split()) != " ".join(claim.text.split()):
            continue
        if any(span.overlaps(k) and not (span.contains(k) or k.contains(span)) for k in kept):
            left_out[claim.id] = "it overlaps another highlighted claim"
        else:
            kept.append(span)
    return left_out


WORDS = "Alpha said 12 boats sank.\n\nBeta counted 40 dead,\n\n  \n\nand 7 more; Gamma 3 hurt.\n\nEnd."


@given(st.lists(st.tuples(st.integers(0, len(WORDS)), st.integers(1, 30)), max_size=25),
       st.lists(st.tuples(st.integers(0, len(WORDS)), st.integers(1, 20)), max_size=4))
def test_highlight_keeps_any_mix_of_spans_well_formed(places, speakers):
    claims = []
    for number, (start, length) in enumerate(places):
        span = Span(start, min(start + length, len(WORDS)))
        said = None
        if number < len(speakers):
            at, size = speakers[number]
            said = Span(at, min(at + size, len(WORDS)))
        claims.append(Claim(f"c{number:02d}", "d", span.slice(WORDS), "", "count", 1, None, None, None, None,
                            None, said_by="someone" if said is not None else None, span=span, said_by_span=said))
    debris = [Debris(Span(30, 60), "credit")]
    markup, skipped = highlight(WORDS, claims, debris)
    page = Page(str(markup))  # asserts every element is closed in order
    expected = _chosen_by_definition(WORDS, claims)
    assert {c: why for c, why in skipped.items() if why.startswith("it overlaps")} == expected
    shown = {c.id for c in claims if c.id not in skipped}
    assert page.marks == {c.id: c.span.slice(WORDS) for c in claims if c.id in shown}
    # The text is all there, in order, whatever the marks: only blank gaps between paragraphs go.
    assert "".join("".join(page.paragraph_text).split()) == "".join(WORDS.split())


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (290000.0, "290,000"),
        (7.2e-05, "0.000072"),
        (1234.5, "1,234.5"),
        (0.25, "0.25"),
        (-3.5, "-3.5"),
        (None, ""),
        (2.5e-07, "2.5 \u00d7 10\u207b\u2077"),
        (602000000000000000000000, "6.02 \u00d7 10\u00b2\u00b3"),
        (-1e21, "-1 \u00d7 10\u00b2\u00b9"),
        (1.5e17, "150,000,000,000,000,000"),
    ],
)
def test_numbers_are_written_as_readers_write_them(value: float | None, shown: str) -> None:
    assert number_text(value) == shown
