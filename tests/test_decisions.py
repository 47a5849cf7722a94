"""People's decisions in claims.yaml: reading, checking, writing, keeping them across scans."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.model import Claim, ClaimSet, Decision, Source, Span
from factcheck.store import HEADER, StoreError, dump_claims, load_claims, merge_claims, save_claims


def make_source(source_id: str) -> Source:
    return Source(source_id, f"{source_id}.md", None, None, None, None, "ab" * 32, "ok")


def make_claim(claim_id: str, source: str = "ledger", text: str = "112") -> Claim:
    return Claim(
        id=claim_id, source=source, text=text, sentence=f"The flood killed {text} people.", kind="count",
        value=112, unit=None, qualifier=None, low=112, high=112, measure="killed", said_by=None,
        span=Span(17, 17 + len(text)), rule="<number>",
    )


NOTE = "The hospital counts bodies received; the agency counts registered deaths."
DECISIONS = (
    Decision("resolved", ("c-1", "c-2"), NOTE),
    Decision("not-same", ("c-2", "c-3"), "", extra={"by": "ana"}),
)


def claimset(decisions=DECISIONS) -> ClaimSet:
    return ClaimSet(
        sources=(make_source("ledger"),),
        claims=(make_claim("c-1"), make_claim("c-2"), make_claim("c-3")),
        decisions=decisions,
    )


def test_decisions_are_written_after_the_claims_and_read_back(tmp_path: Path):
    path = tmp_path / "claims.yaml"
    save_claims(claimset(), path)
    text = path.read_text(encoding="utf-8")
    assert text.endswith(
        "decisions:\n"
        "  - decision: resolved\n"
        "    claims: [c-1, c-2]\n"
        f"    note: {NOTE}\n"
        "  - decision: not-same\n"
        "    claims: [c-2, c-3]\n"
        "    note: ''\n"
        "    by: ana\n"
    )
    assert load_claims(path).decisions == DECISIONS


def test_no_decisions_no_section():
    assert "\ndecisions:" not in dump_claims(claimset(decisions=()))


def test_header_documents_the_decision_keys():
    for words in ("decisions", "decision: not-same", "same | not-same | resolved", "claims: [", "note"):
        assert words in HEADER


def test_a_rescan_keeps_the_decisions(tmp_path: Path):
    path = tmp_path / "claims.yaml"
    save_claims(claimset(), path)
    scanned = ClaimSet(sources=(make_source("ledger"),), claims=(make_claim("c-1"), make_claim("c-3")))
    merged = merge_claims(load_claims(path), scanned)
    assert merged.decisions == DECISIONS
    assert [c.id for c in merged.claims if c.missing] == ["c-2"]
    save_claims(merged, path)
    assert load_claims(path).decisions == DECISIONS


VALID = (
    "version: 1\n"
    "sources:\n"
    "  - {id: ledger, path: null, url: null, title: null, outlet: null, published: null, sha256: x, status: ok}\n"
    "claims:\n"
    "  - {id: c-1, source: ledger, text: '112', sentence: s, kind: count, value: 112, unit: null,\n"
    "     qualifier: null, low: 112, high: 112, measure: killed, said_by: null}\n"
    "  - {id: c-2, source: ledger, text: '300', sentence: s, kind: count, value: 300, unit: null,\n"
    "     qualifier: null, low: 300, high: 300, measure: dead, said_by: null}\n"
    "decisions:\n"
    "  - decision: same\n"
    "    claims: [c-1, c-2]\n"
    "    note: one toll\n"
)

ERRORS = [
    ("unknown decision", "decision: same", "decision: merge", 10,
     "decision #1: decision must be one of same, not-same, resolved, not 'merge'"),
    ("missing decision", "  - decision: same\n    claims", "  - claims", 10,
     "decision #1: missing key 'decision' (one of same, not-same, resolved)"),
    ("unknown claim", "claims: [c-1, c-2]", "claims: [c-1, c-9]", 11, "decision #1: 'c-9' is not the id of any claim"),
    ("one claim", "claims: [c-1, c-2]", "claims: [c-1]", 11, "decision #1: claims must list at least two claim ids"),
    ("twice", "claims: [c-1, c-2]", "claims: [c-1, c-1]", 11, "decision #1: claims lists c-1 twice"),
    ("claims type", "claims: [c-1, c-2]", "claims: c-1", 11, "decision #1: claims must be a list of text"),
    ("resolved without note", "decision: same\n    claims: [c-1, c-2]\n    note: one toll\n",
     "decision: resolved\n    claims: [c-1, c-2]\n", 10,
     "decision #1: a resolved conflict needs a note saying how it was resolved"),
    ("contradiction", "    note: one toll\n",
     "    note: one toll\n  - decision: not-same\n    claims: [c-2, c-1]\n", 13,
     "decision #2: c-1 and c-2 are marked 'not-same' here but 'same' before (decision #1, line 10)"),
    ("not a list", "decisions:\n  - decision: same\n    claims: [c-1, c-2]\n    note: one toll\n",
     "decisions: same\n", 9, "'decisions' must be a list"),
]


@pytest.mark.parametrize("name, old, new, line, message", ERRORS, ids=[case[0] for case in ERRORS])
def test_bad_decision_is_one_line_with_file_and_line(tmp_path: Path, name, old, new, line, message):
    assert old in VALID
    path = tmp_path / "claims.yaml"
    path.write_text(VALID.replace(old, new), encoding="utf-8")
    with pytest.raises(StoreError) as error:
        load_claims(path)
    assert str(error.value) == f"{path}:{line}: {message}"


def test_valid_decisions_load(tmp_path: Path):
    path = tmp_path / "claims.yaml"
    path.write_text(VALID, encoding="utf-8")
    assert load_claims(path).decisions == (Decision("same", ("c-1", "c-2"), "one toll"),)


@pytest.mark.parametrize(
    ("decisions", "message"),
    [
        ((Decision("merge", ("c-1", "c-2")),), "decision #1: decision must be one of same, not-same, resolved"),
        ((Decision("same", ("c-1", "c-9")),), "decision #1: 'c-9' is not the id of any claim"),
        ((Decision("resolved", ("c-1", "c-2")),), "decision #1: a resolved conflict needs a note"),
        ((Decision("same", ("c-1", "c-2")), Decision("not-same", ("c-1", "c-2"))),
         "decision #2: c-1 and c-2 are marked 'not-same' here but 'same' before (decision #1)"),
    ],
    ids=["kind", "unknown claim", "note", "contradiction"],
)
def test_writing_refuses_what_reading_would_refuse(tmp_path: Path, decisions, message):
    path = tmp_path / "claims.yaml"
    with pytest.raises(StoreError) as error:
        save_claims(claimset(decisions), path)
    assert str(error.value).startswith(message)
    assert not path.exists()
