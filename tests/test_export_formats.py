"""`factcheck export` as CSV, ClaimReview JSON-LD, GraphML and GEXF, run as a user runs it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.export import CSV_COLUMNS, ExportError, load_verdicts, to_csv
from factcheck.model import Claim, ClaimSet, Review, Source, Span
from factcheck.store import save_claims

SOURCES = (
    Source("bay", "bay.md", "https://bay.example/ferry", "Ferry sinks off Skerra", "Bay Herald", "2025-09-02",
           "ab" * 32, "ok"),
    Source("wire", "wire.md", None, "Survivor says toll higher", "North Wire", "2025-09-02", "cd" * 32, "ok"),
)


def counted(claim_id: str, source: str, sentence: str, figure: str, value: float, said_by: str | None,
            review: Review = Review(), **fields) -> Claim:
    start = sentence.index(figure)
    values = dict(kind="count", unit=None, qualifier=None, low=value, high=value, measure="killed")
    values.update(fields)
    return Claim(id=claim_id, source=source, text=figure, sentence=sentence, value=value, said_by=said_by,
                 span=Span(start, start + len(figure)), rule="<number>", review=review, **values)


CLAIMS = (
    counted("c-bay", "bay", "The sinking killed 41 people, the Coastguard Service said.", "41", 41,
            "the Coastguard Service",
            Review("confirmed", "The Coastguard's list names 41.", {"verdict": "Correct, per the Coastguard list"})),
    counted("c-wire", "wire", "At least 60 people were killed, a survivor said.", "At least 60", 60, "a survivor",
            Review("false", "Passenger manifest lists 52 aboard."), low=60, high=None, qualifier="at least"),
    counted("c-formula", "wire", "=HYPERLINK(\"x\") 12 boats sank.", "12 boats", 12, None, measure="boats"),
    counted("c-skip", "wire", "The 3 officers were praised.", "3", 3, None, Review("not-a-claim"), measure="officers"),
)


@pytest.fixture
def claims_path(tmp_path: Path) -> Path:
    path = tmp_path / "claims.yaml"
    save_claims(ClaimSet(sources=SOURCES, claims=CLAIMS), path)
    return path


def export(claims_path: Path, *args: str):
    return CliRunner().invoke(cli, ["export", "--claims", str(claims_path), *args])


def test_csv_has_one_row_per_claim_for_spreadsheets(claims_path: Path):
    result = export(claims_path, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [r["id"] for r in rows] == ["c-bay", "c-wire", "c-formula", "c-skip"]
    bay, wire, formula, _ = rows
    assert (bay["document"], bay["outlet"], bay["url"], bay["published"]) == (
        "bay", "Bay Herald", "https://bay.example/ferry", "2025-09-02"
    )
    assert (bay["value"], bay["low"], bay["high"], bay["said_by"], bay["start"], bay["end"]) == (
        "41", "41", "41", "the Coastguard Service", "19", "21"
    )
    # 41 and "at least 60" deaths cannot both hold: one conflicting figure.
    assert bay["figure_status"] == wire["figure_status"] == "conflict"
    assert bay["figure_group"] == wire["figure_group"] != ""
    assert (wire["qualifier"], wire["high"], wire["review_status"], wire["review_note"]) == (
        "at least", "", "false", "Passenger manifest lists 52 aboard."
    )
    assert formula["sentence"] == "'=HYPERLINK(\"x\") 12 boats sank."
    assert (formula["approximate"], formula["latent"], formula["missing"]) == ("false", "false", "false")


def test_csv_lines_end_as_rfc_4180_has_it():
    text = to_csv(ClaimSet(sources=SOURCES, claims=CLAIMS), [])
    assert text.count("\r\n") == 5 and "\n" not in text.replace("\r\n", "")


def test_claimreview_covers_the_reviewed_claims(claims_path: Path):
    result = export(claims_path, "--format", "claimreview", "--organisation", "Skerra Checks",
                    "--date", "2025-09-05", "--review-url", "https://checks.example/ferry")
    assert result.exit_code == 0, result.output
    reviews = json.loads(result.stdout)
    assert [r["identifier"] for r in reviews] == ["c-bay", "c-wire"]  # not unreviewed, not not-a-claim
    assert reviews[1] == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checks.example/ferry",
        "identifier": "c-wire",
        "claimReviewed": "At least 60 people were killed, a survivor said.",
        "datePublished": "2025-09-05",
        "author": {"@type": "Organization", "name": "Skerra Checks"},
        "reviewRating": {"@type": "Rating", "alternateName": "False",
                         "ratingExplanation": "Passenger manifest lists 52 aboard."},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "a survivor"},
                         "datePublished": "2025-09-02"},
    }
    bay = reviews[0]
    assert bay["reviewRating"]["alternateName"] == "Correct, per the Coastguard list"  # the person's own words
    assert bay["itemReviewed"]["author"] == {"@type": "Organization", "name": "the Coastguard Service"}
    assert bay["itemReviewed"]["appearance"] == {
        "@type": "CreativeWork", "url": "https://bay.example/ferry", "headline": "Ferry sinks off Skerra",
        "datePublished": "2025-09-02", "publisher": {"@type": "Organization", "name": "Bay Herald"},
    }


def test_claimreview_takes_the_organisation_from_the_environment(claims_path: Path):
    runner = CliRunner(env={"FACTCHECK_ORGANISATION": "Skerra Checks"})
    result = runner.invoke(cli, ["export", "--claims", str(claims_path), "--format", "claimreview",
                                 "--date", "2025-09-05"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["author"] == {"@type": "Organization", "name": "Skerra Checks"}


def test_claimreview_without_an_organisation_is_one_line(claims_path: Path):
    result = export(claims_path, "--format", "claimreview")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: claimreview needs the fact-checking organisation: give --organisation NAME\n"


def test_verdicts_file_errors_name_the_line(tmp_path: Path):
    bad = tmp_path / "verdicts.yaml"
    bad.write_text("verdicts:\n  confirmed: Accurate\n  mostly-true: Mostly true\n", encoding="utf-8")
    with pytest.raises(ExportError) as caught:
        load_verdicts(bad)
    assert str(caught.value).startswith(f"{bad}:3: unknown review status 'mostly-true'; known: unreviewed,")
    assert load_verdicts() == {"confirmed": "Accurate", "disputed": "Disputed", "false": "False",
                               "needs-source": "Unsupported"}


@pytest.mark.parametrize("output_format", ["graphml", "gexf"])
def test_graph_formats_read_back_and_repeat_byte_for_byte(claims_path: Path, tmp_path: Path, output_format: str):
    first = export(claims_path, "--format", output_format)
    second = export(claims_path, "--format", output_format)
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    assert first.stdout.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    path = tmp_path / f"story.{output_format}"
    path.write_text(first.stdout, encoding="utf-8")
    graph = nx.read_graphml(path) if output_format == "graphml" else nx.read_gexf(path)
    types = sorted(data["type"] for _, data in graph.nodes(data=True))
    assert types == ["claim"] * 4 + ["figure"] * 2 + ["source"] * 2 + ["speaker"] * 2
    relations = sorted(data["relation"] for _, _, data in graph.edges(data=True))
    assert relations.count("conflicts") == 1 and relations.count("says") == 2
    if output_format == "gexf":
        assert "lastmodifieddate" not in first.stdout
        claim = graph.nodes["claim:c-bay"]
        assert (claim["label"], claim["span_start"], claim["span_end"]) == ("41", 19, 21)
