"""Tests for reading web pages laid out the ways real sites lay them out,
on small invented pages in tests/pages/: articles split across sibling
containers, subheadings as plain blocks, streamed pages, kickers above the
headline, the furniture after an article, and paywall stubs."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from factcheck import pipeline
from factcheck.ingest import DebrisRules, load_debris_rules, read_document
from factcheck.ingest.html import parse_page
from factcheck.ingest.layout import lay_out
from factcheck.ingest.recover import read_runs, recover
from factcheck.ingest.streamed import complete_streamed
from factcheck.model import Document

PAGES = Path(__file__).parent / "pages"


@pytest.fixture(scope="module")
def rules() -> DebrisRules:
    return load_debris_rules()


def blocks(name: str) -> list[str]:
    return parse_page((PAGES / name).read_text(encoding="utf-8")).text.split("\n\n")


def read(name: str, rules: DebrisRules) -> Document:
    return read_document(PAGES / name, rules=rules)


def debris(doc: Document) -> list[tuple[str, str]]:
    return [(d.reason, d.span.slice(doc.text)) for d in doc.debris]


# Articles whose parts the extractor loses


def test_headings_in_sibling_wrappers_are_kept() -> None:
    # Each paragraph has a wrapper of its own; the subheadings sit in some.
    assert blocks("split-containers.html") == [
        "Forty-two aid lorries were still waiting at the northern crossing on Tuesday, three days after "
        "they were due to cross, as negotiators argued over inspections.",
        "The convoy carries about 900 tonnes of flour and medicine, enough for 60,000 people for a month, "
        "according to the relief agency that organised it.",
        "Why the lorries are stuck",
        "Border officials say each lorry must be unloaded and searched, which takes about six hours, while "
        "the agency says a seal check at the depot is enough.",
        "The agency listed what it is asking for:",
        "a second lane for aid lorries, open at night",
        "seal checks at the depot instead of at the border",
        "a joint team of 12 inspectors from both sides",
        "What happens next",
        "A meeting on Thursday",
        "Both sides are due to meet again on Thursday in the border town, where a deal on night crossings "
        "was reached last year after eleven days of talks.",
        "Until then, the drivers sleep in their cabs, and the agency pays each of them 35 euros a day for "
        "food and water while they wait.",
    ]


def test_an_article_body_split_by_ads_is_one_block_per_paragraph() -> None:
    assert blocks("split-article-body.html") == [
        "The island ferry will sail 14 times a week this winter instead of 21, its operator said on Monday, "
        "blaming fuel costs and a shortage of crew.",
        "About 2,300 people live on the island, and the council says roughly 400 of them cross to the "
        "mainland for work at least three days a week.",
        "Which sailings go",
        "The operator published the crossings it will drop from 1 March:",
        "the 06:10 sailing on weekdays",
        "the last sailing on Sundays, at 21:40",
        "two midday sailings on Saturdays",
        "Commuters said losing the early weekday boat would mean leaving home before five in the morning "
        "to catch the 05:15 sailing instead.",
        "What the council wants",
        "The council has asked the operator to keep the early sailing at least until the end of March, and "
        "says it could pay part of the 180,000 pounds a month the route costs.",
        "The operator said it would reply within two weeks.",
    ]


def test_subheadings_written_as_plain_blocks_are_kept_and_the_byline_is_not() -> None:
    found = blocks("subheads.html")
    assert found[2] == "Who pays more?"
    assert found[5] == "Can the rise be challenged?"
    assert len(found) == 7
    assert not any("Ines Varga" in block for block in found)


def test_a_streamed_page_is_read_in_reading_order() -> None:
    assert blocks("streamed.html") == [
        "Night buses will run again between the four valley towns from 3 June, the transport board said on "
        "Wednesday, two years after the service was cut.",
        "The buses will leave every 40 minutes from 23:00 to 04:00 on Fridays and Saturdays, and every hour "
        "on other nights.",
        "Tickets will cost the same as by day, 2.40 euros a journey, and day passes will be valid until 05:00.",
        "Where they will stop",
        "the station square in each town",
        "the hospital on the ring road",
        "the university campus",
        "The board said it would review the service after six months, when it expects about 1,200 "
        "passengers a week.",
    ]


def test_streamed_parts_without_their_script_stay_hidden() -> None:
    markup = (PAGES / "streamed.html").read_text(encoding="utf-8")
    root = lxml_html.document_fromstring(markup.replace('$RC("B:1","S:1")', ""))
    assert complete_streamed(root) == 2
    texts = [" ".join(p.text_content().split()) for p in root.iter("p", "li")]
    # S:1 was never moved: its list is still at the end, hidden.
    assert root.get_element_by_id("S:1").get("hidden") is not None
    assert texts.index("Tickets will cost the same as by day, 2.40 euros a journey, and day passes will be valid until 05:00.") == 2


def test_kicker_and_headline_above_the_article_are_not_text() -> None:
    assert blocks("kicker.html")[0].startswith("The tram line to the airport opened on Sunday")


# Putting back what the extractor dropped, block by block


KEPT = [
    "The library will open on Sundays from 5 May, the city said on Thursday.",
    "The Sunday hours will cost about 90,000 euros a year, mostly in staff pay.",
]


def _recovered(body: str, kept: list[str] = KEPT) -> list[str]:
    root = lxml_html.fromstring(f"<html><body>{body}</body></html>")
    return recover(kept, read_runs(root))


def test_the_text_that_opens_a_block_is_put_back_and_the_byline_is_not() -> None:
    body = (
        "<div class=a><h1>Library opens on Sundays</h1><div class=by>Friday 12 April by Ola Brandt</div>"
        "<div class=c>Residents signed a petition for it in March.<br><br>"
        f"{KEPT[0]}<br><br><center>The reading room, via the archive</center>{KEPT[1]}</div></div>"
    )
    assert _recovered(body) == ["Residents signed a petition for it in March.", *KEPT]


@pytest.mark.parametrize(
    ("between", "expected"),
    [
        ("<h3>Who pays</h3>", ["Who pays"]),
        ("<div class=sub>Who pays for the extra hours?</div>", ["Who pays for the extra hours?"]),
        ("<ul><li>noon to five</li><li>every Sunday</li></ul>", ["noon to five", "every Sunday"]),
        ("<div class=sub>Opening hours</div>", []),
        ("<p><a href='/x'>Libraries to close on Mondays in the summer</a></p>", []),
        ("<figure><figcaption>The reading room, photographed in March.</figcaption></figure>", []),
        ("<aside><h3>Read next</h3></aside>", []),
        ("<h3>One</h3><h3>Two</h3><h3>Three</h3><h3>Four</h3><h3>Five</h3>", []),
        ("<div class=box><div class=inner><div class=deep><p>A box deep inside, said the city.</p></div></div></div>", []),
    ],
    ids=["heading", "question", "list", "no sentence", "link", "caption", "aside", "gap too long", "too deep"],
)
def test_what_stands_between_two_kept_paragraphs(between: str, expected: list[str]) -> None:
    body = f"<article><p>{KEPT[0]}</p>{between}<p>{KEPT[1]}</p></article>"
    assert _recovered(body) == [KEPT[0], *expected, KEPT[1]]


def test_headings_are_put_back_level_with_paragraphs_of_sibling_wrappers() -> None:
    body = (
        f"<div><div class=w><div class=b><p>{KEPT[0]}</p></div></div>"
        f"<div class=w><div class=b><h3><a id=cost>What it costs</a></h3><p>{KEPT[1]}</p></div></div></div>"
    )
    assert _recovered(body) == [KEPT[0], "What it costs", KEPT[1]]


# The furniture after an article


def test_a_pitch_after_the_article_is_the_page_tail(rules: DebrisRules) -> None:
    doc = read("tail-pitch.html", rules)
    assert pipeline.body_text(doc).split("\n\n")[-1] == (
        "A state filing from May shows the firm trades under a second name, which customers say they "
        "were never told about when they booked."
    )
    assert debris(doc) == [
        ("navigation", "----------"),
        (
            "page tail",
            "SHARE YOUR STORY\nHas a business let you down? Our consumer team may be able to help.\n"
            "Use the form on this page or write to the consumer desk, and leave a number where we can reach "
            "you during the day.",
        ),
    ]


def test_teasers_after_the_article_are_the_page_tail(rules: DebrisRules) -> None:
    doc = read("related-teasers.html", rules)
    assert len(doc.body) == 2
    assert debris(doc) == [
        (
            "page tail",
            "More from Bay Herald\n\nFerry timetable changes for the summer season.\n\n"
            "Fish market moves to the old customs shed in June.",
        )
    ]


ARTICLE = (
    "The harbour toll will rise from 3 to 4 euros on 1 September, the port authority decided on Thursday.\n\n"
    "The authority expects the rise to bring in about 2.6 million euros a year for the sea wall.\n\n"
)


def test_a_tail_heading_with_the_article_going_on_after_it_is_only_a_line(rules: DebrisRules) -> None:
    rest = "The sea wall was last repaired in 1998, after a storm. " * 8
    text = ARTICLE + "Related stories\n\n" + rest.strip() + "\n"
    layout = lay_out(text, rules)
    assert [(d.reason, d.span.slice(text)) for d in layout.debris] == [("tail heading", "Related stories")]
    assert layout.body[-1].slice(text) == rest.strip()


def test_a_tail_heading_before_any_article_text_is_only_a_line(rules: DebrisRules) -> None:
    text = "Most read\n\n" + ARTICLE
    layout = lay_out(text, rules)
    assert [(d.reason, d.span.slice(text)) for d in layout.debris] == [("tail heading", "Most read")]
    assert len(layout.body) == 2


def test_a_transcript_disclaimer_is_boilerplate(rules: DebrisRules) -> None:
    doc = read("transcript.html", rules)
    assert debris(doc) == [
        (
            "boilerplate",
            "Accuracy and availability of Coastal Radio transcripts may vary. Check the audio before quoting.",
        )
    ]
    assert pipeline.body_text(doc).split("\n\n")[-1] == "(SOUND OF GULLS)"


# Paywalls


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("paywall-teaser.html", "paywall: only 49 words of the article are readable"),
        ("paywall-premium.html", "paywall: only 24 words of the article are readable"),
    ],
    ids=["want to keep reading", "premium content"],
)
def test_paywall_stubs_are_paywalled(rules: DebrisRules, name: str, reason: str) -> None:
    doc = read(name, rules)
    assert (doc.status, doc.reason, doc.body) == ("paywalled", reason, ())
    assert doc.warnings == (f"{PAGES / name}: paywalled ({reason})",)


def test_a_whole_article_on_a_metered_site_stays_an_article(rules: DebrisRules) -> None:
    doc = read("paywall-metered.html", rules)
    assert (doc.status, len(doc.body)) == ("ok", 10)
    assert pipeline.body_text(doc).endswith("valued by an independent surveyor.")
    assert debris(doc) == [("page tail", "Subscribe to continue reading the North Shore Courier without limits.")]
