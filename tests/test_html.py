"""Tests for reading web pages: main text, metadata, encodings, and the
verdicts on dead pages, paywall stubs and section fronts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck import pipeline
from factcheck.ingest import DebrisRules, load_debris_rules, read_document
from factcheck.ingest.html import parse_page
from factcheck.model import Document

from conftest import need_seed, need_shared  # noqa: E402

PARAGRAPHS = [
    "Russian Foreign Minister Sergei Lavrov suggested that the United States was holding up a deal "
    "on Syria at talks in Geneva with US Secretary of State John Kerry on Friday.",
    "The negotiations were focusing on clinching a ceasefire, getting humanitarian aid to civilians "
    "and starting political talks to end the five-year war that has killed more than 290,000.",
    "The talks went on for more than nine hours, and a further meeting was planned for the weekend, "
    "officials from both delegations said late on Friday evening.",
]
RELATED = ["Ceasefire holds in Aleppo for a third day", "Aid convoy reaches besieged town of Madaya"]


def page(body: str, head: str = "", charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}">{head}</head>'
        f"<body><nav><a href='/'>Home</a> <a href='/world'>World news</a></nav>{body}"
        "<footer><p>Contact the newsroom</p></footer></body></html>"
    )


def article(paragraphs: list[str] = PARAGRAPHS, extra: str = "") -> str:
    ps = "".join(f"<p>{p}</p>" for p in paragraphs)
    related = "".join(f"<li><a href='/story/{i}'>{t}</a></li>" for i, t in enumerate(RELATED))
    return (
        "<article><h1>US-Russia deal on Syria still out of reach</h1>"
        f"{ps}<h3>Related</h3><ul>{related}</ul>{extra}</article>"
    )


META = (
    "<title>US-Russia deal on Syria still out of reach | Example News</title>"
    '<meta property="og:site_name" content="Example News">'
    '<meta property="og:type" content="article">'
    '<link rel="canonical" href="https://news.example.org/2016/09/09/us-russia-deal">'
    '<script type="application/ld+json">'
    + json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "US-Russia deal on Syria still out of reach",
            "datePublished": "2016-09-09T17:30:00Z",
            "author": {"@type": "Person", "name": "Jane Doe"},
        }
    )
    + "</script>"
)


@pytest.fixture(scope="module")
def rules() -> DebrisRules:
    return load_debris_rules()


def save(folder: Path, name: str, markup: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(markup.encode("utf-8") if isinstance(markup, str) else markup)
    return path


def body_texts(doc: Document) -> list[str]:
    return [span.slice(doc.text) for span in doc.body]


def test_main_text_is_the_article_paragraphs_one_block_each() -> None:
    parsed = parse_page(page(article(), META))
    assert parsed.text.split("\n\n") == PARAGRAPHS


def test_metadata_comes_from_the_page(tmp_path: Path, rules: DebrisRules) -> None:
    doc = read_document(save(tmp_path, "geneva.html", page(article(), META)), rules=rules)
    assert (doc.title, doc.outlet, doc.author, doc.published, doc.canonical_url) == (
        "US-Russia deal on Syria still out of reach",
        "Example News",
        "Jane Doe",
        "2016-09-09",
        "https://news.example.org/2016/09/09/us-russia-deal",
    )
    assert (doc.status, doc.path) == ("ok", (tmp_path / "geneva.html").as_posix())


def test_claims_index_the_extracted_text(tmp_path: Path, rules: DebrisRules, toolkit) -> None:
    doc = read_document(save(tmp_path, "geneva.html", page(article(), META)), rules=rules)
    claims = pipeline.extract_claims(doc, toolkit)
    figure = next(c for c in claims if c.text == "more than 290,000")
    assert figure.span is not None and figure.span.slice(doc.text) == "more than 290,000"
    assert (figure.low, figure.high) == (290000, None)


def test_related_story_links_are_left_out() -> None:
    parsed = parse_page(page(article(), META))
    for headline in RELATED:
        assert headline not in parsed.text


def test_a_list_of_facts_stays() -> None:
    facts = "<ul><li>More than 290,000 people killed</li><li>Half the population displaced</li></ul>"
    parsed = parse_page(page(article(extra=facts), META))
    assert parsed.text.split("\n\n")[-2:] == ["More than 290,000 people killed", "Half the population displaced"]


def test_table_rows_are_lines() -> None:
    table = "<table><tr><th>City</th><th>Killed</th></tr><tr><td>Aleppo</td><td>31,000</td></tr></table>"
    parsed = parse_page(page(article(extra=table), META))
    assert parsed.text.split("\n\n")[-2:] == ["City | Killed", "Aleppo | 31,000"]


def test_encoding_comes_from_the_page_declaration(tmp_path: Path, rules: DebrisRules) -> None:
    words = ["Assad’s fate was not discussed at the talks, said the minister in Genève on Friday."] + PARAGRAPHS
    markup = page(article(words), META.replace("Example News", "Le Télégramme"), charset="windows-1252")
    doc = read_document(save(tmp_path, "cp1252.html", markup.encode("cp1252")), rules=rules)
    assert body_texts(doc)[0] == words[0]
    assert doc.outlet == "Le Télégramme"
    assert doc.warnings == ()


def test_undeclared_non_utf8_page_warns(tmp_path: Path, rules: DebrisRules) -> None:
    markup = page(article(), META).replace('<meta charset="utf-8">', "").replace("than", "thän")
    path = save(tmp_path, "plain.html", markup.encode("cp1252"))
    doc = read_document(path, rules=rules)
    assert doc.warnings == (f"{path}: no encoding declared and not UTF-8, decoded as cp1252",)


def test_dead_page_is_unavailable_with_no_body(tmp_path: Path, rules: DebrisRules) -> None:
    markup = page("<h1>Page not found</h1><p>Sorry, we looked everywhere. Try the search box.</p>",
                  "<title>Page not found | Example News</title>")
    path = save(tmp_path, "gone.html", markup)
    doc = read_document(path, rules=rules)
    assert (doc.status, doc.reason, doc.body) == ("unavailable", "dead page: Page not found", ())
    assert doc.warnings == (f"{path}: page unavailable (dead page: Page not found)",)


def test_moved_page_is_unavailable(tmp_path: Path, rules: DebrisRules) -> None:
    markup = page("<h2>This page has moved</h2><p>The document is now at another address.</p>")
    doc = read_document(save(tmp_path, "moved.html", markup), rules=rules)
    assert (doc.status, doc.reason) == ("unavailable", "dead page: This page has moved")


def test_article_quoting_a_dead_video_stays_an_article(tmp_path: Path, rules: DebrisRules) -> None:
    more = PARAGRAPHS * 3 + ["This video is no longer available."]
    doc = read_document(save(tmp_path, "video.html", page(article(more), META)), rules=rules)
    assert doc.status == "ok"
    assert body_texts(doc)[:3] == PARAGRAPHS


def test_dead_notice_after_an_article_is_cut_off(tmp_path: Path, rules: DebrisRules) -> None:
    notice = "<p>This page is not available</p><p>The page no longer exists or did not exist at all.</p>"
    doc = read_document(save(tmp_path, "tail.html", page(article(extra=notice), META)), rules=rules)
    assert (doc.status, body_texts(doc)) == ("ok", PARAGRAPHS)
    assert [(d.reason, d.span.slice(doc.text)) for d in doc.debris] == [
        ("navigation", "Related"),
        ("dead-page notice", "This page is not available\n\nThe page no longer exists or did not exist at all."),
    ]


def test_seed_page_as_html_loses_its_dead_tail(tmp_path: Path, rules: DebrisRules) -> None:
    text = need_seed().read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    markup = page("<article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article>")
    doc = read_document(save(tmp_path, "seed.html", markup), rules=rules)
    assert doc.status == "ok"
    assert doc.debris[-1].reason == "dead-page notice"
    assert doc.debris[-1].span.slice(doc.text).startswith("This page is not available")
    assert "killed more than 290,000" in pipeline.body_text(doc)
    assert "This page is not available" not in pipeline.body_text(doc)


def test_paywall_stub_is_paywalled(tmp_path: Path, rules: DebrisRules) -> None:
    stub = page(article(PARAGRAPHS[:1], extra="<p>Subscribe to continue reading.</p>"), META)
    doc = read_document(save(tmp_path, "stub.html", stub), rules=rules)
    assert doc.status == "paywalled"
    assert doc.reason == "paywall: only 30 words of the article are readable"
    assert doc.body == ()


def test_full_article_behind_a_paywall_notice_stays_ok(tmp_path: Path, rules: DebrisRules) -> None:
    full = page(article(PARAGRAPHS * 4, extra="<p>Subscribe to continue reading.</p>"), META)
    doc = read_document(save(tmp_path, "full.html", full), rules=rules)
    assert doc.status == "ok"
    # The notice closes the readable article: from it on is the page's tail.
    assert [(d.reason, d.span.slice(doc.text)) for d in doc.debris] == [
        ("navigation", "Related"),
        ("page tail", "Subscribe to continue reading."),
    ]


def test_section_front_is_not_an_article(tmp_path: Path, rules: DebrisRules) -> None:
    teasers = "".join(
        f"<div><h2><a href='/story/{n}'>Story number {n} about the talks</a></h2><p>Geneva, Friday.</p></div>"
        for n in range(12)
    )
    doc = read_document(save(tmp_path, "world.html", page(teasers, "<title>World</title>")), rules=rules)
    assert doc.status == "not-article"
    assert doc.reason.startswith("section front: 12 headlines of other stories")


def test_broken_html_is_read(tmp_path: Path, rules: DebrisRules) -> None:
    broken = "<html><body><div><p>" + "</p><p>".join(PARAGRAPHS) + "<p><b>unclosed <i>tags"
    doc = read_document(save(tmp_path, "broken.html", broken), rules=rules)
    assert doc.status == "ok"
    assert body_texts(doc)[:3] == PARAGRAPHS


@pytest.mark.parametrize(
    ("content", "status", "reason"),
    [
        (b"", "empty", "no article text found in the page"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "error", "binary file, not text"),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "empty", "no article text found in the page"),
    ],
    ids=["empty", "binary", "navigation only"],
)
def test_bad_pages_get_a_status_and_a_warning(tmp_path: Path, rules: DebrisRules, content, status, reason) -> None:
    path = save(tmp_path, "bad.html", content)
    doc = read_document(path, rules=rules)
    assert (doc.status, doc.reason) == (status, reason)
    assert doc.warnings[-1].startswith(f"{path}: ")


def test_huge_file_is_refused_unread(tmp_path: Path, rules: DebrisRules) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as out:
        out.truncate(10 * 1024 * 1024 + 1)
    doc = read_document(path, rules=rules)
    assert (doc.status, doc.reason) == ("error", "larger than the 10 MB input limit")


def test_soft404_pages_are_judged() -> None:
    folder = need_shared("eval/html/soft404")
    rules = load_debris_rules()
    expected = {"dead": "unavailable", "moved": "unavailable", "article": "ok", "not_article": "not-article"}
    for meta in sorted((folder / "meta").glob("*.json")):
        html = folder / "pages" / f"{meta.stem}.html"
        if not html.exists():
            continue
        label = json.loads(meta.read_text(encoding="utf-8"))["label"]
        doc = read_document(html, rules=rules)
        assert (meta.stem, doc.status) == (meta.stem, expected.get(label, doc.status))


def test_real_articles_are_all_read_as_articles() -> None:
    folder = need_shared("eval/html/pages")
    rules = load_debris_rules()
    statuses = {path.stem: read_document(path, rules=rules).status for path in sorted(folder.glob("*.html"))}
    assert set(statuses.values()) == {"ok"}, statuses


def test_text_command_prints_the_body_and_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from factcheck.cli import cli

    monkeypatch.chdir(tmp_path)
    save(tmp_path, "geneva.html", page(article(), META))
    save(tmp_path, "gone.html", page("<h1>Page not found</h1>"))
    ok = CliRunner().invoke(cli, ["text", "geneva.html"])
    assert (ok.exit_code, ok.stdout) == (0, "\n\n".join(PARAGRAPHS) + "\n")
    gone = CliRunner().invoke(cli, ["text", "gone.html", "--meta"])
    assert gone.exit_code == 0
    assert gone.stdout == "id: gone\npath: gone.html\ntitle: Page not found\nstatus: unavailable\nreason: dead page: Page not found\n---\n\n"
    assert gone.stderr == "warning: gone.html: page unavailable (dead page: Page not found)\n"
