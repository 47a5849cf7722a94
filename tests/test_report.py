"""The static report: pages, highlighting, escaping, determinism."""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest

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
                    ("coastal-tribune",), (), "85 cattle reported only by Coastal Tribune."),
        FigureGroup("g-00000002", "shared", "quantity", "surge", "foot, metre",
                    ("ct-surge", "dl-surge"), ("coastal-tribune", "daily-ledger"), (),
                    "surge reported by 2 sources with compatible figures."),
        FigureGroup("g-00000001", "conflict", "count", "deaths", None,
                    ("ct-deaths", "dl-deaths", "mw-deaths"),
                    ("coastal-tribune", "daily-ledger", "meridian-wire"),
                    ("Dr. Ilan Petrov", "National Disaster Agency"),
                    f"300 (at least 300; {IMG}, daily-ledger) conflicts with 112: "
                    "they cannot both hold."),
    ]
    return ClaimSet(sources=sources, claims=claims), documents, groups


EVIL_STEM = "doc-" + hashlib.sha1(EVIL_ID.encode()).hexdigest()[:12]
PAGES = [
    "index.html",
    "figures.html",
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
    assert '<tr data-claim="ct-gone" id="ct-gone"' in missing
    mw = read(out, "documents/meridian-wire.html")
    assert "The text of this document is not available (file not found)." in mw
    assert '<tr data-claim="mw-deaths" id="mw-deaths"' in mw
    assert "<mark" not in mw


def test_figures_page(site):
    out, _ = site
    html = read(out, "figures.html")
    page = Page(html)
    sections = [a["id"] for t, a in page.elements if t == "section"]
    assert sections == ["g-00000001", "g-00000002", "g-00000003"]
    links = [a["href"] for t, a in page.elements if t == "a" and "#" in a.get("href", "")]
    assert links == [
        "documents/coastal-tribune.html#ct-deaths",
        "documents/daily-ledger.html#dl-deaths",
        "documents/meridian-wire.html#mw-deaths",
        "documents/coastal-tribune.html#ct-surge",
        "documents/daily-ledger.html#dl-surge",
        "documents/coastal-tribune.html#ct-cattle",
    ]
    assert '<span class="symbol" aria-hidden="true">✕</span> conflict</span> deaths' in html
    assert '<span class="symbol" aria-hidden="true">✓</span> shared</span> surge' in html


def test_index_page(site):
    out, _ = site
    html = read(out, "index.html")
    page = Page(html)
    hrefs = [a["href"] for t, a in page.elements if t == "a"]
    assert "figures.html#g-00000001" in hrefs and "figures.html#g-00000002" in hrefs
    order = [html.index(s) for s in ("Conflicting figures", "Shared figures", ">Documents</h2>")]
    assert order == sorted(order)
    for stem in ("coastal-tribune", "daily-ledger", "meridian-wire", EVIL_STEM):
        assert f"documents/{stem}.html" in hrefs
    assert "<td>unavailable</td>\n<td>file not found</td>" in html
    assert "<div><dt>Claims</dt><dd>11</dd></div>" in html
    assert "<tr><td>disputed</td><td class=\"num\">1</td></tr>" in html
    assert "<tr><td>unreviewed</td><td class=\"num\">10</td></tr>" in html


def test_rendering_is_deterministic(tmp_path):
    claimset, documents, groups = story()
    first = render_report(claimset, documents, groups, tmp_path / "a")
    second = render_report(claimset, documents, list(reversed(groups)), tmp_path / "b")
    again = render_report(claimset, documents, groups, tmp_path / "a")
    for one, two, three in zip(first, second, again, strict=True):
        assert one.read_bytes() == two.read_bytes() == three.read_bytes()
    assert not [p for p in tmp_path.rglob("*.tmp")]


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
    assert str(markup).startswith('<p><mark class="claim status-ungrouped" id="c"')
    assert str(markup).count("<p>") == 1


def test_changed_document_is_flagged(tmp_path):
    claimset, documents, groups = story()
    documents["coastal-tribune"] = Document(
        id="coastal-tribune", text=CT_TEXT, body=(), sha256="changed"
    )
    render_report(claimset, documents, groups, tmp_path)
    html = (tmp_path / "documents" / "coastal-tribune.html").read_text("utf-8")
    assert "<li>The document has changed since its claims were recorded.</li>" in html
