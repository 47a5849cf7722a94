"""Tests for factcheck.ingest: inputs, decoding, debris, titles, dead pages, rule files."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.ingest import (
    DebrisRules,
    IngestError,
    find_inputs,
    load_debris_rules,
    make_doc_id,
    read_document,
)
from factcheck.ingest.debris import RULE_KINDS
from factcheck.ingest.reader import lay_out
from factcheck.model import Document, Span

# The shared folder sits next to the repository clone, locally and in CI.
from conftest import SEED, need_seed  # noqa: E402

ARTICLE = (
    "Russian Foreign Minister Sergei Lavrov suggested that the United States was holding "
    "up a deal on Syria at talks in Geneva with US Secretary of State John Kerry on Friday.\n"
    "\n"
    "The negotiations were focusing on clinching a ceasefire, getting humanitarian aid to "
    "civilians and starting political talks to end the five-year war that has killed more "
    "than 290,000 and forced more than half the population to flee their home.\n"
)
NOTICE = (
    "This page is not available\n"
    "\n"
    "The page no longer exists or did not exist at all. Please check the address or use "
    "the links below to access the requested content.\n"
)


@pytest.fixture(scope="module")
def rules() -> DebrisRules:
    return load_debris_rules()


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def span_of(doc: Document, needle: str) -> Span:
    start = doc.text.index(needle)
    return Span(start, start + len(needle))


def in_body(doc: Document, span: Span) -> bool:
    return any(body.contains(span) for body in doc.body)


def body_texts(doc: Document) -> list[str]:
    return [span.slice(doc.text) for span in doc.body]


def debris_texts(doc: Document) -> list[tuple[str, str]]:
    return [(d.reason, d.span.slice(doc.text)) for d in doc.debris]


def assert_well_formed(doc: Document) -> None:
    """Body spans are ordered, trimmed, disjoint, and clear of all debris."""
    for earlier, later in zip(doc.body, doc.body[1:]):
        assert earlier.end <= later.start
    for span in doc.body:
        assert span.end <= len(doc.text)
        assert span.slice(doc.text) == span.slice(doc.text).strip() != ""
        for debris in doc.debris:
            assert not span.overlaps(debris.span), debris
    for earlier, later in zip(doc.debris, doc.debris[1:]):
        assert earlier.span.end <= later.span.start


# The seed page -------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(rules: DebrisRules) -> Document:
    return read_document(need_seed(), rules=rules)


def test_seed_is_read_whole_and_ok(seed: Document) -> None:
    raw = SEED.read_bytes()
    assert seed.text == raw.decode("utf-8")
    assert seed.sha256 == hashlib.sha256(raw).hexdigest()
    assert seed.id == "us-russia-syria-geneva"
    assert seed.path == SEED.as_posix()
    assert (seed.status, seed.reason, seed.warnings) == ("ok", None, ())
    assert_well_formed(seed)


def test_seed_title(seed: Document) -> None:
    assert seed.title == "US-Russia deal on Syria still out of reach"
    assert in_body(seed, span_of(seed, "US-Russia deal on Syria still out of reach"))


def test_seed_skip_line_is_navigation(seed: Document) -> None:
    assert seed.debris[0].span == Span(0, 20)
    assert debris_texts(seed)[0] == ("navigation", "Skip to main content")


def test_seed_photo_credit_is_debris_and_caption_is_body(seed: Document) -> None:
    assert debris_texts(seed)[1] == (
        "photo credit",
        "Martial Trezzini / Pool Keystone / AFP (file photo) | ",
    )
    caption = (
        "US Secretary of State John Kerry (L) and Russian Foreign Minister Sergei Lavrov "
        "at a meeting on August 26, 2016 in Geneva, Switzerland."
    )
    assert caption in body_texts(seed)


def test_seed_figures_lie_in_body(seed: Document) -> None:
    assert in_body(seed, span_of(seed, "more than 290,000"))
    assert in_body(seed, span_of(seed, "third meeting in two weeks"))


def test_seed_dead_page_tail_is_cut(seed: Document) -> None:
    reason, text = debris_texts(seed)[-1]
    assert reason == "dead-page notice"
    assert text.startswith("This page is not available\n\nThe page no longer exists")
    assert text.endswith("access the requested content.")
    notice = span_of(seed, "This page is not available")
    assert not any(body.overlaps(notice) for body in seed.body)
    assert body_texts(seed)[-1].startswith("Lavrov has suggested that problems")


def test_seed_paragraphs_are_body_spans(seed: Document) -> None:
    assert "Vexed question of Assad’s fate" in body_texts(seed)
    assert len(seed.body) == 36


# Dead pages ----------------------------------------------------------------


def test_page_with_only_a_notice_is_unavailable(tmp_path: Path, rules: DebrisRules) -> None:
    path = write(tmp_path, "gone.txt", "Skip to main content\n\n" + NOTICE)
    doc = read_document(path, rules=rules)
    assert doc.status == "unavailable"
    assert doc.reason == "dead page: This page is not available"
    assert doc.warnings == (f"{path}: page unavailable (This page is not available)",)
    assert doc.body == ()
    assert doc.title is None
    assert [reason for reason, _ in debris_texts(doc)] == ["navigation", "dead-page notice"]


def test_headline_and_notice_is_unavailable_but_keeps_title(
    tmp_path: Path, rules: DebrisRules
) -> None:
    text = "US-Russia deal on Syria still out of reach\n\n404\n\nPage not found\n"
    path = write(tmp_path, "gone.txt", text)
    doc = read_document(path, rules=rules)
    assert (doc.status, doc.reason) == ("unavailable", "dead page: 404")
    assert doc.title == "US-Russia deal on Syria still out of reach"
    assert doc.body == ()


def test_notice_heading_inside_an_article_is_body(tmp_path: Path, rules: DebrisRules) -> None:
    long_paragraph = " ".join(["Lavrov said the talks went on."] * 13)  # 78 words
    path = write(tmp_path, "a.txt", ARTICLE + "\nPage not found\n\n" + long_paragraph + "\n")
    doc = read_document(path, rules=rules)
    assert doc.status == "ok"
    assert "Page not found" in body_texts(doc)
    assert [reason for reason, _ in debris_texts(doc)] == []


def test_short_lines_after_a_notice_are_part_of_it(tmp_path: Path, rules: DebrisRules) -> None:
    path = write(tmp_path, "a.txt", ARTICLE + "\n" + NOTICE + "\nHome\nNews\nSport\n\nContact us\n")
    doc = read_document(path, rules=rules)
    assert doc.status == "ok"
    reason, text = debris_texts(doc)[-1]
    assert reason == "dead-page notice"
    assert text.startswith("This page is not available") and text.endswith("Contact us")
    assert len(doc.body) == 2


PAGE_LINES = [
    "Skip to main content",
    "Advertisement",
    "US-Russia deal on Syria still out of reach",
    "# Vexed question of Assad’s fate",
    "Martial Trezzini / Pool Keystone / AFP (file photo) | Kerry and Lavrov in Geneva.",
    "Getty Images",
    "This page is not available",
    "The page no longer exists or did not exist at all.",
    "Kerry met Lavrov in Geneva on Friday, their third meeting in two weeks.",
    "The war has killed more than 290,000 people.",
]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(PAGE_LINES) | st.text(max_size=40),
            st.sampled_from(["\n", "\n\n", "\r\n", " \n \n", "\r"]),
        ),
        max_size=25,
    )
)
def test_layout_spans_are_well_formed(parts: list[tuple[str, str]]) -> None:
    text = "".join(line + end for line, end in parts)
    layout = lay_out(text, SHIPPED)
    doc = Document(id="x", text=text, body=layout.body, debris=layout.debris)
    assert_well_formed(doc)
    for debris in doc.debris:
        assert debris.span.end <= len(text) and len(debris.span) > 0


# Decoding ------------------------------------------------------------------


def test_cp1252_file_is_decoded_with_a_warning(tmp_path: Path, rules: DebrisRules) -> None:
    raw = "Vexed question of Assad’s fate\n\n".encode("cp1252") + ARTICLE.encode("cp1252")
    path = write(tmp_path, "a.txt", raw)
    doc = read_document(path, rules=rules)
    assert doc.status == "ok"
    assert doc.title == "Vexed question of Assad’s fate"
    assert doc.warnings == (f"{path}: not UTF-8, decoded as cp1252",)
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path: Path, rules: DebrisRules) -> None:
    path = write(tmp_path, "a.txt", b"Caf\xe9 \x81\n\n" + ARTICLE.encode("ascii"))
    doc = read_document(path, rules=rules)
    assert doc.text.startswith("Café \x81\n")
    assert doc.warnings == (f"{path}: not UTF-8, decoded as latin-1",)


def test_utf8_bom_is_dropped(tmp_path: Path, rules: DebrisRules) -> None:
    path = write(tmp_path, "a.txt", "\ufeffSkip to main content\n\nUS-Russia deal\n\n" + ARTICLE)
    doc = read_document(path, rules=rules)
    assert doc.text.startswith("Skip to main content")
    assert debris_texts(doc)[0] == ("navigation", "Skip to main content")
    assert doc.title == "US-Russia deal"
    assert doc.warnings == ()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(tmp_path: Path, rules: DebrisRules, encoding: str) -> None:
    text = "US-Russia deal on Syria still out of reach\n\n" + ARTICLE
    raw = text.encode(encoding)
    if encoding == "utf-16-be":  # this codec writes no mark of its own
        raw = b"\xfe\xff" + raw
    doc = read_document(write(tmp_path, "a.txt", raw), rules=rules)
    assert (doc.status, doc.text, doc.warnings) == ("ok", text, ())
    assert in_body(doc, span_of(doc, "more than 290,000"))


def test_binary_file_is_an_error(tmp_path: Path, rules: DebrisRules) -> None:
    raw = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    path = write(tmp_path, "photo.txt", raw)
    doc = read_document(path, rules=rules)
    assert (doc.status, doc.reason) == ("error", "binary file, not text")
    assert (doc.text, doc.body) == ("", ())
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.warnings == (f"{path}: binary file, not text",)


@pytest.mark.parametrize("content", ["", "  \n\n\t\r\n"], ids=["empty", "whitespace"])
def test_empty_file(tmp_path: Path, rules: DebrisRules, content: str) -> None:
    doc = read_document(write(tmp_path, "a.txt", content), rules=rules)
    assert (doc.status, doc.reason, doc.body, doc.text) == ("empty", "empty file", (), content)


def test_file_of_only_debris_is_empty(tmp_path: Path, rules: DebrisRules) -> None:
    path = write(tmp_path, "a.txt", "Skip to main content\nAdvertisement\n\nGetty Images\n")
    doc = read_document(path, rules=rules)
    assert (doc.status, doc.reason) == ("empty", "no article text, only debris")
    assert [text for _, text in debris_texts(doc)] == [
        "Skip to main content",
        "Advertisement",
        "Getty Images",
    ]


def test_unreadable_path_is_an_error(tmp_path: Path, rules: DebrisRules) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    doc = read_document(folder, rules=rules)
    assert doc.status == "error"
    assert doc.reason == "cannot read file: Is a directory"
    assert (doc.text, doc.body, doc.sha256) == ("", (), "")


def test_crlf_is_kept_and_spans_exclude_it(tmp_path: Path, rules: DebrisRules) -> None:
    text = "Skip to main content\r\n\r\nUS-Russia deal\r\n\r\n" + ARTICLE.replace("\n", "\r\n")
    doc = read_document(write(tmp_path, "a.txt", text), rules=rules)
    assert doc.text == text
    assert debris_texts(doc)[0] == ("navigation", "Skip to main content")
    assert body_texts(doc)[0] == "US-Russia deal"
    assert_well_formed(doc)


# Layout: paragraphs and titles ---------------------------------------------


def test_wrapped_lines_form_one_paragraph(tmp_path: Path, rules: DebrisRules) -> None:
    text = "Kerry and Lavrov have been in discussions\nto reach a peace deal in Syria since July.\n"
    doc = read_document(write(tmp_path, "a.txt", text), rules=rules)
    assert body_texts(doc) == [text.strip()]
    assert doc.title is None  # the first line is not alone in its paragraph


def test_debris_line_splits_a_paragraph(tmp_path: Path, rules: DebrisRules) -> None:
    text = "Kerry met Lavrov.\nAdvertisement\nThey talked for five hours.\n"
    doc = read_document(write(tmp_path, "a.txt", text), rules=rules)
    assert body_texts(doc) == ["Kerry met Lavrov.", "They talked for five hours."]
    assert debris_texts(doc) == [("navigation", "Advertisement")]


def test_first_line_ending_with_period_is_no_title(tmp_path: Path, rules: DebrisRules) -> None:
    path = write(tmp_path, "a.txt", "Kerry met Lavrov on Friday.\n\nMore.\n")
    doc = read_document(path, rules=rules)
    assert doc.title is None


def test_long_first_line_is_no_title(tmp_path: Path, rules: DebrisRules) -> None:
    line = " ".join(["word"] * 16)
    doc = read_document(write(tmp_path, "a.txt", line + "\n\n" + ARTICLE), rules=rules)
    assert doc.title is None


def test_markdown_heading_is_title_and_stays_body(tmp_path: Path, rules: DebrisRules) -> None:
    text = "# US-Russia deal on Syria still out of reach #\n## Vexed question\nThe war goes on.\n"
    doc = read_document(write(tmp_path, "a.md", text), rules=rules)
    assert doc.title == "US-Russia deal on Syria still out of reach"
    assert body_texts(doc) == [
        "# US-Russia deal on Syria still out of reach #",
        "## Vexed question",
        "The war goes on.",
    ]


def test_front_matter_gives_metadata_and_is_debris(tmp_path: Path, rules: DebrisRules) -> None:
    text = textwrap.dedent(
        """\
        ---
        title: US-Russia deal on Syria still out of reach
        outlet: AFP
        published: 2016-09-09
        url: https://example.org/syria
        author: AFP staff
        ---
        Skip to main content

        Talks in Geneva
        """
    )
    path = write(tmp_path, "a.md", text + "\n" + ARTICLE)
    doc = read_document(path, rules=rules)
    assert doc.title == "US-Russia deal on Syria still out of reach"
    assert (doc.outlet, doc.published) == ("AFP", "2016-09-09")
    assert doc.url == "https://example.org/syria"
    assert doc.warnings == ()
    assert doc.debris[0].reason == "front matter"
    assert doc.debris[0].span.slice(doc.text) == text[: text.index("---\nSkip") + 3]
    assert body_texts(doc)[0] == "Talks in Geneva"
    assert_well_formed(doc)


@pytest.mark.parametrize(
    "published",
    ["2016-09-09", "'2016-09-09'", "2016-09-09T10:30:00Z", "'2016-09-09 10:30'"],
)
def test_front_matter_dates_become_iso_dates(
    tmp_path: Path, rules: DebrisRules, published: str
) -> None:
    path = write(tmp_path, "a.md", f"---\npublished: {published}\n---\n" + ARTICLE)
    doc = read_document(path, rules=rules)
    assert doc.published == "2016-09-09"
    assert doc.title is None


def test_front_matter_bad_date_is_a_warning(tmp_path: Path, rules: DebrisRules) -> None:
    path = write(tmp_path, "a.md", "---\npublished: last Friday\n---\n" + ARTICLE)
    doc = read_document(path, rules=rules)
    assert doc.published is None
    assert doc.warnings == (f"{path}: front matter 'published' is not an ISO date: 'last Friday'",)


def test_bad_front_matter_is_read_as_plain_text(tmp_path: Path, rules: DebrisRules) -> None:
    path = write(tmp_path, "a.md", "---\noutlet: AFP\ntitle: [unclosed\n---\n\n" + ARTICLE)
    doc = read_document(path, rules=rules)
    assert doc.status == "ok"
    assert len(doc.warnings) == 1
    assert doc.warnings[0].startswith(f"{path}:4: bad front matter (")
    assert doc.warnings[0].endswith("), read as plain text")
    # The delimiters are separator lines, the rest is body text.
    assert (doc.outlet, [(d.reason, d.span.slice(doc.text)) for d in doc.debris]) == (
        None,
        [("navigation", "---"), ("navigation", "---")],
    )
    assert in_body(doc, span_of(doc, "title: [unclosed"))


def test_front_matter_that_is_not_a_mapping(tmp_path: Path, rules: DebrisRules) -> None:
    path = write(tmp_path, "a.md", "---\n- a list\n---\n" + ARTICLE)
    doc = read_document(path, rules=rules)
    assert doc.warnings == (f"{path}:1: front matter is not a mapping, read as plain text",)


def test_doc_id_is_given_or_made(tmp_path: Path, rules: DebrisRules) -> None:
    path = write(tmp_path, "US Russia (Geneva).txt", ARTICLE)
    assert read_document(path, rules=rules).id == "us-russia-geneva"
    assert read_document(path, rules=rules, doc_id="geneva-2").id == "geneva-2"


# Inputs and ids ------------------------------------------------------------


def test_find_inputs_recurses_sorts_and_skips_hidden(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in [
        "story/b.txt",
        "story/a.md",
        "story/sub/c.markdown",
        "story/sub/d.TEXT",
        "story/notes.pdf",
        "story/.hidden.txt",
        "story/.git/x.txt",
        "other/z.html",
    ]:
        write(tmp_path, name, "text")
    found = find_inputs(["story", "other/z.html", "story/b.txt"])
    assert [p.as_posix() for p in found] == [
        "other/z.html",
        "story/a.md",
        "story/b.txt",
        "story/sub/c.markdown",
        "story/sub/d.TEXT",
    ]


def test_find_inputs_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(IngestError) as caught:
        find_inputs([missing])
    assert str(caught.value) == f"{missing}: no such file or directory"


def test_make_doc_id_slugs_and_dedupes() -> None:
    taken: set[str] = set()
    ids = [
        make_doc_id(p, taken)
        for p in [
            "a/US-Russia_Syria Geneva.txt",
            "b/us-russia-syria-geneva.md",
            "c/US Russia Syria Geneva!.txt",
            "Genève.txt",
            "Женева.txt",
        ]
    ]
    assert ids == [
        "us-russia-syria-geneva",
        "us-russia-syria-geneva-2",
        "us-russia-syria-geneva-3",
        "geneve",
        "doc",
    ]
    assert taken == set(ids)


# Debris rules ----------------------------------------------------------------

SHIPPED = load_debris_rules()


@pytest.mark.parametrize(
    "rule, line, expected",
    [
        pytest.param(rule, line, expected, id=example)
        for rule in SHIPPED.rules
        for example, (line, expected) in zip(
            (*rule.examples, *rule.counterexamples), rule.cases()
        )
    ],
)
def test_rule_examples(rule, line: str, expected: int | None) -> None:
    """Each rule matches its ``examples`` (a lead rule exactly its [marked]
    lead) and leaves its ``not`` lines alone."""
    assert rule.match(line) == expected, f"rule '{rule.name}' ({rule.origin})"


def test_shipped_rules_cover_every_kind() -> None:
    kinds = {rule.kind for rule in SHIPPED.rules}
    assert kinds == set(RULE_KINDS)


USER_RULES = """\
sets:
  agency: [Syrian Observatory]
rules:
  - name: Listen to this article
    kind: navigation
    lines: [Listen to this article]
    examples: [Listen to this article]
"""


def test_user_rules_add_rules_and_extend_sets(tmp_path: Path) -> None:
    rules = load_debris_rules([write(tmp_path, "mine.yaml", USER_RULES)])
    assert rules.match_line("Listen to this article")[0].name == "Listen to this article"
    # The shipped credit rule now knows the new agency.
    hit = rules.match_line("Rami Abdel / Syrian Observatory | Aleppo in ruins")
    assert hit is not None and hit[1] == len("Rami Abdel / Syrian Observatory | ")


def test_user_rules_alone(tmp_path: Path) -> None:
    rules = load_debris_rules([write(tmp_path, "mine.yaml", USER_RULES)], include_shipped=False)
    assert [rule.name for rule in rules.rules] == ["Listen to this article"]
    assert rules.match_line("Skip to main content") is None


def test_user_rules_apply_when_reading(tmp_path: Path) -> None:
    rules = load_debris_rules([write(tmp_path, "mine.yaml", USER_RULES)])
    path = write(tmp_path, "a.txt", "Listen to this article\n\n" + ARTICLE)
    doc = read_document(path, rules=rules)
    assert debris_texts(doc)[0] == ("navigation", "Listen to this article")


def test_empty_rule_file_adds_nothing(tmp_path: Path) -> None:
    rules = load_debris_rules([write(tmp_path, "empty.yaml", "")])
    assert rules.rules == SHIPPED.rules


RULE = "  - name: Listen to this article\n    kind: navigation\n"


@pytest.mark.parametrize(
    "content, line, message",
    [
        (
            "rules:\n" + RULE + "    lines: [Advertisement]\n    exmples: [Advertisement]\n",
            5,
            "rule 'Listen to this article': unknown key 'exmples'; expected one of:"
            " name, kind, lines, pattern, lead, examples, not",
        ),
        (
            "rules:\n  - name: Listen to this article\n    kind: navigaton\n"
            "    lines: [Ad]\n    examples: [Ad]\n",
            2,
            "rule 'Listen to this article': unknown kind 'navigaton'; expected one of:"
            " navigation, tail heading, boilerplate, photo credit, paywall notice, dead-page heading, dead-page notice",
        ),
        (
            "rules:\n" + RULE + "    pattern: 'Advert(isement'\n    examples: [Advert]\n",
            4,
            "rule 'Listen to this article': bad regular expression:"
            " missing ), unterminated subpattern at position 6",
        ),
        (
            "rules:\n" + RULE + "    pattern: '{sponsor}'\n    examples: [Advert]\n",
            4,
            "rule 'Listen to this article': unknown set '{sponsor}' (sets: agency)",
        ),
        (
            "rules:\n" + RULE + "    lines: []\n    examples: [Ad]\n",
            4,
            "rule 'Listen to this article': 'lines' is empty",
        ),
        (
            "sets:\n  sponsor: []\nrules:\n" + RULE
            + "    pattern: '{sponsor}'\n    examples: [Ad]\n",
            6,
            "rule 'Listen to this article': set '{sponsor}' has no phrases",
        ),
        (
            "rules:\n" + RULE + "    lines: [Ad]\n    pattern: Ad\n    examples: [Ad]\n",
            2,
            "rule 'Listen to this article': needs exactly one of lines, pattern, lead",
        ),
        (
            "rules:\n" + RULE + "    lines: [Ad]\n",
            2,
            "rule 'Listen to this article': rule has no examples",
        ),
        (
            "rules:\n  - name: Credit\n    kind: photo credit\n    lead: 'AFP \\|'\n"
            "    examples: [AFP | Kerry]\n",
            2,
            "rule 'Credit': example must mark the lead with [ ]: 'AFP | Kerry'",
        ),
        (
            "rules:\n  - kind: navigation\n    lines: [Ad]\n",
            2,
            "rule without a 'name'",
        ),
        (
            "rules:\n" + RULE + "    lines: Advertisement\n    examples: [Ad]\n",
            4,
            "rule 'Listen to this article': 'lines' must be a list of strings",
        ),
        (
            "rules:\n  - name: Skip to main content / Skip to content\n"
            "    kind: navigation\n    lines: [Skip]\n    examples: [Skip]\n",
            2,
            "rule 'Skip to main content / Skip to content': duplicate name (first defined at ",
        ),
        (
            "rule:\n  - name: Ad\n",
            1,
            "a rule file: unknown key 'rule'; expected one of: sets, rules",
        ),
        ("rules:\n  - name: [Ad\n", 3, "bad YAML: expected ',' or ']', but got '<stream end>'"),
    ],
    ids=[
        "unknown key",
        "unknown kind",
        "bad regex",
        "unknown set",
        "no phrases",
        "empty set",
        "two matchers",
        "no examples",
        "unmarked lead example",
        "no name",
        "lines not a list",
        "duplicate name",
        "unknown top-level key",
        "bad yaml",
    ],
)
def test_bad_rule_file_error_names_file_and_line(
    tmp_path: Path, content: str, line: int, message: str
) -> None:
    path = write(tmp_path, "mine.yaml", content)
    with pytest.raises(IngestError) as caught:
        load_debris_rules([path])
    assert str(caught.value).startswith(f"{path}:{line}: {message}")


def test_missing_rule_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        load_debris_rules([tmp_path / "nope.yaml"])
    assert str(caught.value) == f"{tmp_path / 'nope.yaml'}: no such file or directory"


def test_yes_and_no_stay_phrases(tmp_path: Path) -> None:
    """Rule files are read as written: ``No`` is a phrase, not a boolean."""
    content = (
        "rules:\n  - name: Yes / No\n    kind: navigation\n"
        "    lines: [Yes, No, 404]\n    examples: [No, 404]\n"
    )
    rules = load_debris_rules([write(tmp_path, "mine.yaml", content)], include_shipped=False)
    assert rules.covers("No") and rules.covers("404")
