"""Tests for factcheck.store: claims.yaml load, check, merge and atomic save."""

from __future__ import annotations

import os
import stat
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck import store
from factcheck.model import REVIEW_STATUSES, Claim, ClaimSet, Review, Source, Span
from factcheck.store import (
    CLAIM_KEYS,
    HEADER,
    SOURCE_KEYS,
    StoreError,
    claim_to_dict,
    dump_claims,
    load_claims,
    load_claims_if_exists,
    merge_claims,
    save_claims,
    source_to_dict,
)

# ----------------------------------------------------------------- helpers


def make_source(source_id: str = "geneva", **fields) -> Source:
    base = dict(
        id=source_id,
        path=f"examples/{source_id}.txt",
        url=None,
        title="US-Russia deal on Syria still out of reach",
        outlet=None,
        published=None,
        sha256="9f86d081884c7d659a2feaa0c55ad015",
        status="ok",
    )
    base.update(fields)
    return Source(**base)


def make_claim(claim_id: str, source: str = "geneva", start: int = 0, **fields) -> Claim:
    base = dict(
        id=claim_id,
        source=source,
        text="more than 290,000",
        sentence="the five-year war that has killed more than 290,000 and",
        kind="count",
        value=290000.0,
        unit=None,
        qualifier="more than",
        low=290000.0,
        high=None,
        measure="killed",
        said_by=None,
        span=Span(start, start + 17),
        rule="more than <figure>",
    )
    base.update(fields)
    return Claim(**base)


def sample() -> ClaimSet:
    return ClaimSet(
        sources=(
            make_source("geneva", outlet="Reuters", published="2016-08-26", extra={"checked_by": "ana"}),
            make_source("un-report", path=None, url="https://example.org/un", status="unavailable", reason="HTTP 404"),
        ),
        claims=(
            make_claim(
                "c-1",
                said_by="John Kerry",
                said_by_span=Span(60, 70),
                quote_span=Span(0, 58),
                cue="said",
                review=Review("confirmed", "UN figure", {"link": "https://un.org"}),
                extra={"priority": 1, "tags": ["war", "deaths"]},
            ),
            make_claim(
                "c-2",
                start=80,
                text="4.8 million",
                kind="count",
                value=4800000.0,
                qualifier=None,
                low=4800000.0,
                high=4800000.0,
                approximate=True,
            ),
            make_claim("c-3", start=120, text="2.5%", kind="percent", value=2.5, unit="percent", low=2.5, high=2.5),
            make_claim(
                "c-4", source="un-report", text="in 2016", kind="date", value="2016-08-26", span=None, missing=True
            ),
        ),
    )


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def temp_files(directory: Path) -> list[str]:
    return sorted(name for name in os.listdir(directory) if name.endswith(".tmp"))


def rescan(path: Path, scanned: ClaimSet) -> None:
    """What `factcheck scan` does with the file."""
    save_claims(merge_claims(load_claims_if_exists(path), scanned), path)


@pytest.fixture(params=["libyaml", "pure"])
def loader(request, monkeypatch):
    """Run a test with each parser the store may use."""
    if request.param == "pure":
        monkeypatch.setattr(store, "_LOADER", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("libyaml is not installed")
    return request.param


# ----------------------------------------------------------------- layout and round trip


def test_round_trip_is_byte_identical(tmp_path, loader):
    path = tmp_path / "claims.yaml"
    save_claims(sample(), path)
    first = path.read_bytes()
    loaded = load_claims(path)
    assert loaded == sample()
    save_claims(loaded, path)
    assert path.read_bytes() == first
    assert dump_claims(loaded).encode("utf-8") == first


def test_dumping_twice_gives_the_same_text():
    assert dump_claims(sample()) == dump_claims(sample())


def test_layout_of_a_source_and_a_claim():
    claimset = ClaimSet(
        sources=(make_source("geneva", outlet="Reuters", published="2016-08-26", extra={"checked_by": "ana"}),),
        claims=(
            make_claim(
                "c-5d41402a",
                start=34,
                said_by="Kerry",
                said_by_span=Span(0, 5),
                quote_span=Span(10, 60),
                cue="said",
                review=Review("confirmed", "UN figure", {"link": "https://un.org"}),
                extra={"priority": 1},
            ),
        ),
    )
    expected = """\
        version: 1
        sources:
          - id: geneva
            path: examples/geneva.txt
            url: null
            title: US-Russia deal on Syria still out of reach
            outlet: Reuters
            published: '2016-08-26'
            sha256: 9f86d081884c7d659a2feaa0c55ad015
            status: ok
            reason: null
            checked_by: ana
        claims:
          - id: c-5d41402a
            source: geneva
            text: more than 290,000
            sentence: the five-year war that has killed more than 290,000 and
            kind: count
            value: 290000
            unit: null
            qualifier: more than
            low: 290000
            high: null
            measure: killed
            said_by: Kerry
            span: [34, 51]
            said_by_span: [0, 5]
            quote_span: [10, 60]
            cue: said
            via: null
            rule: more than <figure>
            approximate: false
            latent: false
            review:
              status: confirmed
              note: UN figure
              link: https://un.org
            priority: 1
        """
    assert dump_claims(claimset) == HEADER + "\n" + textwrap.dedent(expected)


def test_missing_is_written_only_when_true_and_spans_as_null():
    text = dump_claims(sample())
    assert text.count("\n    missing:") == 1
    assert "    span: null\n    said_by_span: null\n    quote_span: null\n" in text
    assert "    latent: false\n    missing: true\n    review:\n" in text


def test_header_explains_what_is_kept_and_that_comments_are_not():
    assert all(line.startswith("#") for line in HEADER.splitlines())
    assert "`factcheck scan` rewrites this file" in HEADER
    assert ", ".join(REVIEW_STATUSES) in HEADER
    assert "any key you add to a claim, to its review or to a source" in HEADER
    assert "Comments typed into this file are NOT kept" in HEADER
    assert "review.note" in HEADER


def test_comments_typed_into_the_file_are_dropped_but_the_header_returns(tmp_path):
    path = tmp_path / "claims.yaml"
    save_claims(sample(), path)
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("version: 1\n", "version: 1  # my comment\n"), encoding="utf-8")
    save_claims(load_claims(path), path)
    assert path.read_text(encoding="utf-8") == original


def test_integral_floats_are_written_as_ints_and_other_floats_as_shortest_repr():
    claimset = ClaimSet(
        sources=(make_source(),),
        claims=(make_claim("c-1", value=290000.0, low=0.1, high=1e20), make_claim("c-2", value=1.5e-07, low=-3.0)),
    )
    text = dump_claims(claimset)
    assert "    value: 290000\n" in text
    assert "    low: 0.1\n" in text
    assert "    high: 100000000000000000000\n" in text
    assert "    value: 1.5e-07\n" in text
    assert "    low: -3\n" in text
    claims = load_claims_text(text).claims
    assert [type(c.value) for c in claims] == [int, float]
    assert claims[0].low == 0.1 and claims[1].value == 1.5e-07


def load_claims_text(text: str) -> ClaimSet:
    return store._parse_text(text, store._LOADER)


@pytest.mark.parametrize(
    "tricky",
    ["no", "yes", "off", "y", "N", "null", "~", "", "true", "False", "1.5", "1e3", "0x1F", "0o17", "12", "-7",
     "1_000", "2016-08-26", "2016-08-26 10:00:00", ".inf", ".nan", "12:30:00", "<<", "=", "- x", "#", "a: b",
     "it's", '"', "  padded  ", "c-1 # not a comment"],
)
def test_strings_that_look_like_other_types_stay_strings(tmp_path, tricky, loader):
    path = tmp_path / "claims.yaml"
    claimset = ClaimSet(
        sources=(make_source(title=tricky, published=tricky),),
        claims=(make_claim("c-1", sentence=tricky, said_by=tricky, unit=tricky, review=Review("false", tricky)),),
    )
    save_claims(claimset, path)
    loaded = load_claims(path)
    assert loaded == claimset
    claim = loaded.claims[0]
    assert (claim.sentence, claim.said_by, claim.review.note, claim.review.status) == (tricky, tricky, tricky, "false")
    assert loaded.sources[0].title == tricky
    # Any YAML reader, not only this one, must see strings.
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert raw["claims"][0]["sentence"] == tricky
    assert raw["claims"][0]["review"] == {"status": "false", "note": tricky}


def test_unicode_survives(tmp_path, loader):
    text = "Überlebende – «290 000» ≈ ‘quoted’ 😀 مرحبا 北京 \u00a0nbsp"
    path = tmp_path / "claims.yaml"
    claimset = ClaimSet(
        sources=(make_source(title=text, outlet="Süddeutsche"),),
        claims=(make_claim("c-1", sentence=text, said_by="Ødegård", review=Review(note=text), extra={"für": text}),),
    )
    save_claims(claimset, path)
    assert load_claims(path) == claimset
    written = path.read_text(encoding="utf-8")
    assert f"sentence: {text}\n" in written  # written as is, not as escapes
    assert "said_by: Ødegård\n" in written


def test_line_breaks_and_control_characters_stay_on_one_line(tmp_path, loader):
    note = "first line\nsecond\tline\r\nthird\u2028fourth\x85end\x07"
    path = tmp_path / "claims.yaml"
    claimset = ClaimSet(sources=(make_source(),), claims=(make_claim("c-1", review=Review(note=note)),))
    save_claims(claimset, path)
    assert '      note: "first line\\nsecond\\tline\\r\\nthird\\Lfourth\\Nend\\a"\n' in path.read_text("utf-8")
    assert load_claims(path).claims[0].review.note == note


def test_extra_keys_keep_their_order_after_the_known_keys(tmp_path, loader):
    path = tmp_path / "claims.yaml"
    save_claims(ClaimSet(sources=(make_source(),), claims=(make_claim("c-1"),)), path)
    text = path.read_text(encoding="utf-8")
    text = text.replace("  - id: geneva\n", "  - zeta: 1\n    id: geneva\n    alpha: [1, 2]\n")
    text = text.replace("  - id: c-1\n", "  - zz: first\n    id: c-1\n    aa: {nested: {deep: true}}\n")
    text = text.replace("      note: ''\n", "      note: ''\n      second_opinion: bob\n      checked: 2016-08-26\n")
    path.write_text(text, encoding="utf-8")
    loaded = load_claims(path)
    assert list(loaded.sources[0].extra.items()) == [("zeta", 1), ("alpha", [1, 2])]
    assert list(loaded.claims[0].extra) == ["zz", "aa"]
    assert loaded.claims[0].extra["aa"] == {"nested": {"deep": True}}
    assert list(loaded.claims[0].review.extra) == ["second_opinion", "checked"]
    save_claims(loaded, path)
    written = path.read_text(encoding="utf-8")
    assert "    reason: null\n    zeta: 1\n    alpha:\n      - 1\n      - 2\n" in written
    assert "      second_opinion: bob\n      checked: 2016-08-26\n    zz: first\n    aa:\n" in written
    assert load_claims(path) == loaded


def test_hand_typed_words_need_no_quotes(tmp_path, loader):
    path = tmp_path / "claims.yaml"
    save_claims(ClaimSet(sources=(make_source(),), claims=(make_claim("c-1"), make_claim("c-2", start=30))), path)
    text = path.read_text(encoding="utf-8")
    text = text.replace("      status: unreviewed\n      note: ''\n", "      status: false\n      note: no\n", 1)
    text = text.replace("      note: ''\n", "      note:\n", 1)
    path.write_text(text, encoding="utf-8")
    first, second = load_claims(path).claims
    assert first.review == Review("false", "no")
    assert second.review == Review("unreviewed", "")


def test_keys_after_said_by_and_review_may_be_left_out(tmp_path, loader):
    path = write(
        tmp_path / "claims.yaml",
        """
        version: 1
        sources:
          - id: geneva
            path: null
            url: https://example.org
            title: null
            outlet: null
            published: null
            sha256: ''
            status: ok
        claims:
          - id: c-1
            source: geneva
            text: five
            sentence: five people
            kind: count
            value: 5
            unit: null
            qualifier: null
            low: 5
            high: 5
            measure: people
            said_by: null
        """,
    )
    loaded = load_claims(path)
    assert loaded.claims == (
        Claim(
            id="c-1", source="geneva", text="five", sentence="five people", kind="count", value=5, unit=None,
            qualifier=None, low=5, high=5, measure="people", said_by=None,
        ),
    )
    assert loaded.sources[0].reason is None


def test_empty_lists_round_trip(tmp_path, loader):
    path = tmp_path / "claims.yaml"
    save_claims(ClaimSet(sources=(), claims=()), path)
    assert path.read_text(encoding="utf-8").endswith("\nversion: 1\nsources: []\nclaims: []\n")
    assert load_claims(path) == ClaimSet(sources=(), claims=())


def test_dict_helpers_follow_the_contract_order():
    claim = sample().claims[0]
    assert list(claim_to_dict(claim)) == [k for k in CLAIM_KEYS if k != "missing"] + ["priority", "tags"]
    assert list(claim_to_dict(sample().claims[3]))[:22] == list(CLAIM_KEYS)
    assert claim_to_dict(claim)["span"] == [0, 17]
    assert claim_to_dict(claim)["value"] == 290000 and type(claim_to_dict(claim)["value"]) is int
    assert claim_to_dict(claim)["review"] == {"status": "confirmed", "note": "UN figure", "link": "https://un.org"}
    assert list(source_to_dict(sample().sources[0])) == list(SOURCE_KEYS[:9]) + ["checked_by"]


# ----------------------------------------------------------------- merge


def test_review_and_added_keys_survive_a_rescan(tmp_path):
    path = tmp_path / "claims.yaml"
    scanned = ClaimSet(sources=(make_source(),), claims=(make_claim("c-1"), make_claim("c-2", start=40)))
    rescan(path, scanned)
    # A person edits the file by hand.
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "      status: unreviewed\n      note: ''\n",
        "      status: disputed\n      note: \"UN says 250,000: see p. 4\"\n      reviewer: ana\n    priority: high\n",
        1,
    )
    text = text.replace("    reason: null\n", "    reason: null\n    paywalled: yes\n")
    path.write_text(text, encoding="utf-8")

    rescanned = ClaimSet(
        sources=(make_source(sha256="changed"),),
        claims=(make_claim("c-1", start=5, sentence="edited sentence"), make_claim("c-2", start=40)),
    )
    rescan(path, rescanned)
    merged = load_claims(path)
    first = merged.claims[0]
    assert first.review == Review("disputed", "UN says 250,000: see p. 4", {"reviewer": "ana"})
    assert first.extra == {"priority": "high"}
    assert (first.span, first.sentence) == (Span(5, 22), "edited sentence")
    assert merged.sources[0].extra == {"paywalled": True}
    assert merged.sources[0].sha256 == "changed"
    assert merged.claims[1].review == Review()


def test_vanished_claim_is_kept_and_marked_missing(tmp_path):
    path = tmp_path / "claims.yaml"
    rescan(
        path,
        ClaimSet(
            sources=(make_source(),),
            claims=(make_claim("c-1", said_by_span=Span(40, 45), review=Review("confirmed", "ok")), make_claim("c-2")),
        ),
    )
    rescan(path, ClaimSet(sources=(make_source(),), claims=(make_claim("c-2"),)))
    merged = load_claims(path)
    assert [c.id for c in merged.claims] == ["c-2", "c-1"]
    gone = merged.claims[1]
    assert gone.missing is True
    assert (gone.span, gone.said_by_span, gone.quote_span) == (None, None, None)
    assert gone.review == Review("confirmed", "ok")
    assert (gone.text, gone.sentence, gone.value) == ("more than 290,000", make_claim("x").sentence, 290000)
    text = path.read_text(encoding="utf-8")
    assert "  - id: c-1\n" in text and "    missing: true\n" in text


def test_missing_claim_coming_back_is_present_again_with_its_review(tmp_path):
    path = tmp_path / "claims.yaml"
    rescan(path, ClaimSet(sources=(make_source(),), claims=(make_claim("c-1", review=Review("false", "wrong")),)))
    rescan(path, ClaimSet(sources=(make_source(),), claims=()))
    assert load_claims(path).claims[0].missing is True
    rescan(path, ClaimSet(sources=(make_source(),), claims=(make_claim("c-1", start=9),)))
    back = load_claims(path).claims[0]
    assert back.missing is False
    assert back.span == Span(9, 26)
    assert back.review == Review("false", "wrong")
    assert "missing" not in path.read_text(encoding="utf-8").split("\nclaims:")[1]


def test_source_not_scanned_this_time_is_kept_unchanged(tmp_path):
    path = tmp_path / "claims.yaml"
    first = ClaimSet(
        sources=(make_source("a"), make_source("b", extra={"owner": "desk"})),
        claims=(make_claim("c-a", source="a"), make_claim("c-b", source="b", review=Review("confirmed"))),
    )
    rescan(path, first)
    before = load_claims(path)
    rescan(path, ClaimSet(sources=(make_source("a"),), claims=(make_claim("c-a", source="a", start=3),)))
    after = load_claims(path)
    assert after.sources[1] == before.sources[1]
    assert after.claims[1] == before.claims[1]
    assert after.claims[0].span == Span(3, 20)


def test_claims_of_a_source_that_could_not_be_read_are_not_marked_missing():
    previous = ClaimSet(sources=(make_source(),), claims=(make_claim("c-1", review=Review("confirmed")),))
    unreadable = make_source(status="unavailable", reason="HTTP 503", sha256="")
    merged = merge_claims(previous, ClaimSet(sources=(unreadable,), claims=()))
    assert merged.sources == (unreadable,)
    assert merged.claims == previous.claims


def test_merge_orders_sources_by_id_and_claims_by_span_then_missing_by_id():
    previous = ClaimSet(
        sources=(make_source("b"), make_source("a")),
        claims=(make_claim("c-z", source="b", start=1), make_claim("c-y", source="b", start=2)),
    )
    scanned = ClaimSet(
        sources=(make_source("b"), make_source("a")),
        claims=(
            make_claim("c-3", source="b", start=50),
            make_claim("c-2", source="b", start=10, span=Span(10, 30)),
            make_claim("c-1", source="b", start=10, span=Span(10, 30)),
            make_claim("c-0", source="b", start=10, span=Span(10, 20)),
            make_claim("c-a", source="a", start=99),
        ),
    )
    merged = merge_claims(previous, scanned)
    assert [s.id for s in merged.sources] == ["a", "b"]
    assert [c.id for c in merged.claims] == ["c-a", "c-0", "c-1", "c-2", "c-3", "c-y", "c-z"]
    assert merge_claims(previous, scanned) == merged


def test_merge_without_a_previous_file_orders_the_scan():
    scanned = ClaimSet(
        sources=(make_source("b"), make_source("a")),
        claims=(make_claim("c-2", source="b", start=5), make_claim("c-1", source="a", start=9)),
    )
    merged = merge_claims(None, scanned)
    assert [s.id for s in merged.sources] == ["a", "b"]
    assert [c.id for c in merged.claims] == ["c-1", "c-2"]


# ----------------------------------------------------------------- load errors

VALID = """\
version: 1
sources:
  - id: geneva
    path: examples/geneva.txt
    url: null
    title: Deal out of reach
    outlet: null
    published: null
    sha256: abc
    status: ok
    reason: null
claims:
  - id: c-1
    source: geneva
    text: more than 290,000
    sentence: the war has killed more than 290,000
    kind: count
    value: 290000
    unit: null
    qualifier: more than
    low: 290000
    high: null
    measure: killed
    said_by: null
    span: [20, 37]
    approximate: false
    review:
      status: unreviewed
      note: ''
  - id: c-2
    source: geneva
    text: five years
    sentence: in five years
    kind: duration
    value: 5
    unit: year
    qualifier: null
    low: 5
    high: 5
    measure: null
    said_by: null
"""

# (name, text to replace, replacement, line, message); message None = the
# parser's own wording, which differs between libyaml and PyYAML.
ERRORS = [
    ("bad yaml", "    kind: duration\n", "    kind: [duration\n", 35, None),
    ("not a mapping", VALID, "- version: 1\n", 1, "the top level must be a mapping of keys to values"),
    ("empty", VALID, "", 1, "the file is empty; expected version, sources and claims"),
    ("version", "version: 1\n", "version: 2\n", 1, "unsupported version 2; this factcheck reads version 1"),
    ("version missing", "version: 1\n", "", 1, "missing 'version' (expected version: 1)"),
    ("top-level key", "claims:\n", "notes: x\nclaims:\n", 12,
     "unknown top-level key 'notes'; a claims file has only version, sources, claims and decisions"),
    ("claim without id", "  - id: c-2\n", "  - idd: c-2\n", 30, "claim #2 has no id"),
    ("empty id", "  - id: c-2\n", "  - id: ''\n", 30, "claim #2: id must not be empty"),
    ("duplicate claim id", "  - id: c-2\n", "  - id: c-1\n", 30, "duplicate claim id 'c-1' (first on line 13)"),
    ("duplicate source id", "claims:\n", "  - {id: geneva, path: null, url: null, title: null, outlet: null, "
     "published: null, sha256: x, status: ok}\nclaims:\n", 12, "duplicate source id 'geneva' (first on line 3)"),
    ("review status", "      status: unreviewed\n", "      status: done\n", 28,
     "claim c-1: review status must be one of unreviewed, confirmed, disputed, false, needs-source, not-a-claim, "
     "not 'done'"),
    ("kind", "    kind: duration\n", "    kind: length\n", 34,
     "claim c-2: kind must be one of count, money, percent, fraction, quantity, duration, date, ordinal, tally, "
     "not 'length'"),
    ("source status", "    status: ok\n", "    status: fine\n", 10,
     "source geneva: status must be one of ok, unavailable, empty, error, paywalled, not-article, not 'fine'"),
    ("unknown source", "    source: geneva\n    text: five", "    source: genva\n    text: five", 31,
     "claim c-2: source 'genva' is not the id of any entry under sources"),
    ("missing key", "    sentence: in five years\n", "", 30, "claim c-2: missing key 'sentence'"),
    ("text type", "    text: five years\n", "    text: [five, years]\n", 32, "claim c-2: text must be text"),
    ("null text", "    text: five years\n", "    text: null\n", 32, "claim c-2: text must be text, not null"),
    ("value type", "    value: 5\n", "    value: {n: 5}\n", 35,
     "claim c-2: value must be a number, an ISO date or null"),
    ("value bool", "    value: 5\n", "    value: yes\n", 35,
     "claim c-2: value must be a number, an ISO date or null"),
    ("span type", "    span: [20, 37]\n", "    span: [37, 20]\n", 25,
     "claim c-1: span must be [start, end] with 0 <= start <= end, or null"),
    ("bool type", "    approximate: false\n", "    approximate: maybe\n", 26,
     "claim c-1: approximate must be true or false"),
    ("review type", "    review:\n      status: unreviewed\n      note: ''\n", "    review: fine\n", 27,
     "claim c-1: review must be a mapping of keys to values"),
    ("claims type", VALID, "version: 1\nsources: []\nclaims: {}\n", 3, "'claims' must be a list"),
    ("duplicate key", "    measure: null\n", "    measure: null\n    unit: day\n", 41,
     "duplicate key 'unit' (first on line 36)"),
    ("alias", "    unit: year\n", "    unit: *u\n", 36, "aliases (*u) are not supported in a claims file"),
    ("merge key", "    measure: null\n", "    measure: null\n    <<: {x: 1}\n", 41,
     "claim #2: merge keys (<<) are not supported in a claims file"),
    ("control character", "    text: five years\n", "    text: five\x01years\n", 32,
     "character U+0001 is not allowed in a YAML file"),
    ("unsafe tag", "    measure: null\n", "    measure: null\n    x: !!python/object:os.system {}\n", 41, None),
]


@pytest.mark.parametrize("name, old, new, line, message", ERRORS, ids=[case[0] for case in ERRORS])
def test_load_error_is_one_line_with_file_and_line(tmp_path, loader, name, old, new, line, message):
    assert old in VALID
    text = VALID.replace(old, new, 1)
    if name == "alias":
        text = text.replace("    unit: null\n", "    unit: &u null\n", 1)
    path = tmp_path / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        rescan(path, ClaimSet(sources=(make_source(),), claims=()))
    error = str(caught.value)
    assert "\n" not in error
    if message is None:
        assert error.startswith(f"{path}:{line}: ")
    else:
        assert error == f"{path}:{line}: {message}"
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert path.read_bytes() == before
    assert temp_files(tmp_path) == []


def test_valid_fixture_loads(tmp_path, loader):
    path = tmp_path / "claims.yaml"
    path.write_text(VALID, encoding="utf-8")
    loaded = load_claims(path)
    assert [c.id for c in loaded.claims] == ["c-1", "c-2"]


def test_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_bytes(VALID.replace("Deal out of reach", "D\xe9al").encode("latin-1"))
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        rescan(path, ClaimSet(sources=(), claims=()))
    assert str(caught.value) == f"{path}:6: not valid UTF-8 (byte 0xe9); save the file as UTF-8"
    assert path.read_bytes() == before


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    assert len(load_claims(path).claims) == 2


def test_missing_file(tmp_path):
    path = tmp_path / "claims.yaml"
    assert load_claims_if_exists(path) is None
    with pytest.raises(StoreError) as caught:
        load_claims(path)
    assert str(caught.value) == f"{path}: cannot read: No such file or directory"


# ----------------------------------------------------------------- what dump refuses


@pytest.mark.parametrize(
    "claimset, message",
    [
        (ClaimSet(sources=(make_source(),), claims=(make_claim("c-1", kind="length"),)),
         "claim c-1: kind must be one of count, money, percent, fraction, quantity, duration, date, ordinal, tally, "
         "not 'length'"),
        (ClaimSet(sources=(make_source(),), claims=(make_claim("c-1", review=Review("done")),)),
         "claim c-1: review status must be one of unreviewed, confirmed, disputed, false, needs-source, "
         "not-a-claim, not 'done'"),
        (ClaimSet(sources=(make_source(),), claims=(make_claim("c-1", source="nowhere"),)),
         "claim c-1: source 'nowhere' is not the id of any source"),
        (ClaimSet(sources=(make_source(),), claims=(make_claim("c-1"), make_claim("c-1"))),
         "duplicate claim id 'c-1'"),
        (ClaimSet(sources=(make_source(), make_source()), claims=()), "duplicate source id 'geneva'"),
        (ClaimSet(sources=(make_source(),), claims=(make_claim("c-1", extra={"text": "x"}),)),
         "claim c-1: added key 'text' clashes with a key factcheck writes"),
        (ClaimSet(sources=(make_source(),), claims=(make_claim("c-1", extra={"missing": True}),)),
         "claim c-1: added key 'missing' clashes with a key factcheck writes"),
        (ClaimSet(sources=(make_source(),), claims=(make_claim("c-1", value=True),)),
         "claim c-1: value cannot be bool True"),
        (ClaimSet(sources=(make_source(),), claims=(make_claim("c-1", sentence="bad \udc80 byte"),)),
         "claim c-1: text 'bad \\udc80 byte' holds U+DC80, an unpaired surrogate that a UTF-8 file cannot hold"),
        (ClaimSet(sources=(make_source(),), claims=(), version=2),
         "cannot write version 2; this factcheck writes version 1"),
    ],
)
def test_dump_refuses_what_could_not_be_read_back(tmp_path, claimset, message):
    path = tmp_path / "claims.yaml"
    with pytest.raises(StoreError) as caught:
        save_claims(claimset, path)
    assert str(caught.value) == message
    assert os.listdir(tmp_path) == []


# ----------------------------------------------------------------- atomic save


def test_save_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "claims.yaml"
    save_claims(sample(), path)
    save_claims(sample(), path)
    assert os.listdir(tmp_path) == ["claims.yaml"]


def test_failed_serialisation_keeps_the_old_file(tmp_path):
    path = tmp_path / "claims.yaml"
    save_claims(sample(), path)
    before = path.read_bytes()
    unwritable = ClaimSet(sources=(make_source(),), claims=(make_claim("c-1", extra={"when": object()}),))
    with pytest.raises(StoreError) as caught:
        save_claims(unwritable, path)
    assert str(caught.value) == "cannot write the claims file: no YAML form for a object value"
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["claims.yaml"]


def test_failed_replace_removes_the_temporary_file(tmp_path):
    # A directory in the way makes the final rename fail after the
    # temporary file has been fully written.
    path = tmp_path / "claims.yaml"
    path.mkdir()
    (path / "keep").write_text("x")
    with pytest.raises(StoreError) as caught:
        save_claims(sample(), path)
    assert str(caught.value).startswith(f"{path}: cannot write: ")
    assert os.listdir(tmp_path) == ["claims.yaml"]
    assert os.listdir(path) == ["keep"]


def test_save_into_a_missing_directory_is_a_store_error(tmp_path):
    path = tmp_path / "nowhere" / "claims.yaml"
    with pytest.raises(StoreError) as caught:
        save_claims(sample(), path)
    assert str(caught.value) == f"{path}: cannot write: No such file or directory"


def test_save_keeps_the_mode_of_an_existing_file(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    save_claims(sample(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_new_file_gets_the_mode_open_would_give(tmp_path):
    umask = os.umask(0o022)
    try:
        save_claims(sample(), tmp_path / "claims.yaml")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "claims.yaml").stat().st_mode) == 0o644


def test_save_through_a_symlink_replaces_its_target(tmp_path):
    target = tmp_path / "real.yaml"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "claims.yaml"
    link.symlink_to(target)
    save_claims(sample(), link)
    assert link.is_symlink()
    assert load_claims(target) == sample()


# ----------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(note=st.text(), status=st.sampled_from(REVIEW_STATUSES))
def test_any_review_note_round_trips(tmp_path_factory, note, status):
    path = tmp_path_factory.getbasetemp() / "property-claims.yaml"
    claimset = ClaimSet(sources=(make_source(),), claims=(make_claim("c-1", review=Review(status, note, {"n": note})),))
    save_claims(claimset, path)
    first = path.read_bytes()
    loaded = load_claims(path)
    assert loaded.claims[0].review == Review(status, note, {"n": note})
    save_claims(loaded, path)
    assert path.read_bytes() == first


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(
    sentence=st.text(),
    said_by=st.none() | st.text(),
    extra=st.dictionaries(st.text().filter(lambda key: key not in CLAIM_KEYS), json_values, max_size=4),
)
def test_any_claim_text_and_added_keys_round_trip(sentence, said_by, extra):
    claimset = ClaimSet(
        sources=(make_source(),),
        claims=(make_claim("c-1", sentence=sentence, said_by=said_by, extra=extra),),
    )
    text = dump_claims(claimset)
    for parser in {store._LOADER, yaml.SafeLoader}:
        loaded = store._parse_text(text, parser)
        assert loaded == claimset
        assert dump_claims(loaded) == text
