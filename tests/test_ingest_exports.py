"""Tests for newsroom exports: JSON Lines and CSV, column names, bad records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.ingest import ExportColumns, IngestError, load_debris_rules
from factcheck.ingest.exports import read_export
from factcheck.ingest.sources import InputOptions, plan_inputs, read_inputs

TEXT = (
    "The war has killed more than 290,000 people, monitors said on Friday.\n\n"
    "Talks between the two ministers went on for more than nine hours."
)


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def test_jsonl_records_become_documents(tmp_path: Path) -> None:
    dump = write_jsonl(
        tmp_path / "dump.jsonl",
        [
            {"id": "story-17", "url": "https://example.org/a", "title": "Talks stall", "published": "2016-09-09T17:30:00Z",
             "outlet": "Example News", "text": TEXT},
            {"id": 18, "text": "<p>Aid reached 40,000 people in Madaya.</p><p>Officials said so on Monday.</p>"},
        ],
    )
    docs = read_export(dump, rules=load_debris_rules(), columns=ExportColumns(), taken=set())
    first, second = docs
    assert (first.id, first.record, first.path, first.url) == ("story-17", "story-17", dump.as_posix(), "https://example.org/a")
    assert (first.title, first.outlet, first.published, first.status) == ("Talks stall", "Example News", "2016-09-09", "ok")
    assert first.text == TEXT
    # HTML in the text column is read as a web page.
    assert (second.id, second.record, second.text) == (
        "18", "18", "Aid reached 40,000 people in Madaya.\n\nOfficials said so on Monday."
    )


def test_csv_with_renamed_columns(tmp_path: Path) -> None:
    dump = tmp_path / "cms.csv"
    dump.write_text('story_id,body,headline\n7,"' + TEXT.replace('"', '""') + '",Talks stall\n', encoding="utf-8")
    columns = ExportColumns.parse(["id=story_id", "text=body", "title=headline"])
    (doc,) = read_export(dump, rules=load_debris_rules(), columns=columns, taken=set())
    assert (doc.id, doc.title, doc.text, doc.status) == ("7", "Talks stall", TEXT, "ok")


def test_bad_records_are_named_and_the_rest_is_read(tmp_path: Path) -> None:
    dump = write_jsonl(tmp_path / "dump.jsonl", ["{not json", {"id": "a", "title": "no text"}, {"id": "b", "text": TEXT}])
    docs = read_export(dump, rules=load_debris_rules(), columns=ExportColumns(), taken=set())
    assert [(d.id, d.status, d.reason) for d in docs] == [
        ("dump-line-1", "error", "not valid JSON (Expecting property name enclosed in double quotes)"),
        ("a", "error", "'text' is missing"),
        ("b", "ok", None),
    ]
    assert docs[1].warnings == (f"{dump.as_posix()}:2: 'text' is missing",)


def test_csv_without_the_text_column(tmp_path: Path) -> None:
    dump = tmp_path / "cms.csv"
    dump.write_text("id,body\n1,hello\n", encoding="utf-8")
    (doc,) = read_export(dump, rules=load_debris_rules(), columns=ExportColumns(), taken=set())
    assert (doc.status, doc.reason) == ("error", "no 'text' column (columns: id, body)")


def test_bad_published_date_warns(tmp_path: Path) -> None:
    dump = write_jsonl(tmp_path / "d.jsonl", [{"id": "x", "published": "last Friday", "text": TEXT}])
    (doc,) = read_export(dump, rules=load_debris_rules(), columns=ExportColumns(), taken=set())
    assert doc.published is None
    assert doc.warnings == (f"{dump.as_posix()}:1: 'published' is not an ISO date: 'last Friday'",)


@pytest.mark.parametrize("pair", ["body", "texts=body", "text="], ids=["no equals", "unknown field", "no name"])
def test_bad_column_option(pair: str) -> None:
    with pytest.raises(IngestError) as caught:
        ExportColumns.parse([pair])
    assert str(caught.value) == (
        f"--column {pair!r}: expected FIELD=NAME with FIELD one of id, url, title, published, outlet, text"
    )


def test_exports_and_files_get_distinct_ids(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    dump = write_jsonl(tmp_path / "a.jsonl", [{"id": "b", "text": TEXT}])
    planned = plan_inputs([dump, tmp_path / "b.txt"])
    assert [p.kind for p in planned] == ["export", "file"]
    docs = read_inputs(planned, rules=load_debris_rules(), options=InputOptions())
    assert [(d.id, d.record) for d in docs] == [("b-2", "b"), ("b", None)]
