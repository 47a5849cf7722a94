"""Read a newsroom system's export: JSON Lines or CSV, one article a record.

Each record gives an id, a url, a title, a publication date, an outlet and
the text (the column names are configurable, see ``ExportColumns``). The
text may be plain or HTML; HTML is read as a web page is. Every record
becomes a Document whose ``record`` is its id; a record that cannot be read
becomes an ``error`` Document whose warning names the file and line, and
the other records are read all the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import fields, replace
from pathlib import Path

from factcheck.ingest.debris import DebrisRules
from factcheck.ingest.encoding import decode_bytes
from factcheck.ingest.errors import IngestError
from factcheck.ingest.inputs import MAX_INPUT_BYTES, make_doc_id
from factcheck.ingest.page import Origin, read_page
from factcheck.ingest.reader import failed, read_text
from factcheck.model import Document, datatype

EXPORT_SUFFIXES = (".jsonl", ".ndjson", ".csv")
# Text that holds block markup is a web page body, not plain text.
_MARKUP = re.compile(r"<(?:p|div|br|article|section|h[1-6]|ul|ol|li|table|blockquote|body|html)\b[^>]*>", re.IGNORECASE)
# A newsroom dump may hold one long record per story; the csv module's own
# field limit (128 KiB) is too small for some.
_CSV_FIELD_LIMIT = MAX_INPUT_BYTES


@datatype(frozen=True)
class ExportColumns:
    """The name of each field in the export's records.

    >>> ExportColumns.parse(["text=body", "id=story_id"]).text
    'body'
    """

    id: str = "id"
    url: str = "url"
    title: str = "title"
    published: str = "published"
    outlet: str = "outlet"
    text: str = "text"

    @classmethod
    def parse(cls, pairs: list[str] | tuple[str, ...]) -> ExportColumns:
        """Columns from ``FIELD=NAME`` pairs; ``IngestError`` for a bad pair."""
        known = [f.name for f in fields(cls)]
        names: dict[str, str] = {}
        for pair in pairs:
            field_name, sep, column = pair.partition("=")
            if not sep or field_name.strip() not in known or not column.strip():
                raise IngestError(f"--column {pair!r}: expected FIELD=NAME with FIELD one of {', '.join(known)}")
            names[field_name.strip()] = column.strip()
        return cls(**names)


@datatype(frozen=True)
class Record:
    """One row of an export, as read; ``problem`` says why it is unusable."""

    line: int
    values: Mapping[str, object]
    problem: str | None = None


def is_export(path: str | Path) -> bool:
    """Whether a file named on the command line is an export (by suffix)."""
    return Path(path).suffix.lower() in EXPORT_SUFFIXES


def read_export(
    path: str | Path, *, rules: DebrisRules, columns: ExportColumns, taken: set[str]
) -> list[Document]:
    """Every record of the export at ``path`` as a Document. Ids come from
    the id column, made unique against ``taken`` (which gains them).

    A file that cannot be read at all gives one ``error`` Document for the file.
    """
    path = Path(path)
    where = path.as_posix()
    raw, problem = _read_bytes(path)
    decoded = decode_bytes(raw)
    problem = problem or decoded.problem
    if problem:
        return [failed(Origin(where, path=where), make_doc_id(path, taken), problem)]
    reader = _json_lines if path.suffix.lower() != ".csv" else _csv_rows
    documents = []
    for record in reader(decoded.text, columns):
        key = _text(record.values.get(columns.id))
        ident = make_doc_id(key or f"{path.stem}-line-{record.line}", taken)
        origin = Origin(f"{where}:{record.line}", path=where, url=_text(record.values.get(columns.url)))
        # A record without an id is known by its line.
        name = key or f"line {record.line}"
        if record.problem:
            documents.append(replace(failed(origin, ident, record.problem), record=name))
            continue
        documents.append(_document(record, columns, origin, ident, name, rules))
    return documents


def reread_record(
    path: str | Path, name: str, sha256: str, *, rules: DebrisRules, ident: str
) -> tuple[Document | None, str | None]:
    """The record ``name`` of the export at ``path`` read again, as a scan
    read it: ``(document, None)``, or ``(None, why not)``.

    The scan's column names are not needed: the record is the one named
    ``name`` (by its id, or ``line N``) whose text, in whichever field,
    still has the SHA-256 ``sha256``. A record of that name whose text
    hashes otherwise has changed since the scan.
    """
    path = Path(path)
    raw, problem = _read_bytes(path)
    decoded = decode_bytes(raw)
    problem = problem or decoded.problem
    if problem:
        return None, problem
    reader = _json_lines if path.suffix.lower() != ".csv" else _csv_rows
    named = [r for r in reader(decoded.text, None) if not r.problem and _is_named(r, name)]
    if not named:
        return None, f"no record '{name}'"
    for record in named:
        for field_name, value in record.values.items():
            if isinstance(value, str) and hashlib.sha256(value.strip().encode("utf-8")).hexdigest() == sha256:
                origin = Origin(f"{path.as_posix()}:{record.line}", path=path.as_posix())
                return _document(record, ExportColumns(text=field_name), origin, ident, name, rules), None
    return None, f"record '{name}' changed since the scan"


def _is_named(record: Record, name: str) -> bool:
    if name == f"line {record.line}":
        return True
    return any(_text(value) == name for value in record.values.values())


def _read_bytes(path: Path) -> tuple[bytes, str | None]:
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            return b"", f"larger than the {MAX_INPUT_BYTES // 2**20} MB input limit"
        return path.read_bytes(), None
    except OSError as err:
        return b"", f"cannot read file: {err.strerror or err}"


def _document(
    record: Record, columns: ExportColumns, origin: Origin, ident: str, name: str, rules: DebrisRules
) -> Document:
    text = _text(record.values.get(columns.text)) or ""
    raw = text.encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    if _MARKUP.search(text):
        # trafilatura wants a whole page, not a fragment.
        page = f"<html><body><article>{text}</article></body></html>".encode("utf-8")
        document = read_page(page, origin=origin, ident=ident, rules=rules, sha256=digest)
    else:
        document = read_text(raw, origin=origin, ident=ident, rules=rules, sha256=digest)
    published, warning = _iso_date(record.values.get(columns.published), origin.where)
    return replace(
        document,
        title=_text(record.values.get(columns.title)) or document.title,
        outlet=_text(record.values.get(columns.outlet)) or document.outlet,
        published=published or document.published,
        record=name,
        warnings=document.warnings + warning,
    )


def _json_lines(text: str, columns: ExportColumns | None) -> Iterator[Record]:
    """The records of a JSON Lines export; checked for a text field unless
    ``columns`` is None."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            values = json.loads(line)
        except ValueError as err:
            yield Record(number, {}, f"not valid JSON ({err.msg})")
            continue
        if not isinstance(values, dict):
            yield Record(number, {}, "not a JSON object")
            continue
        yield _checked(Record(number, values), columns)


def _csv_rows(text: str, columns: ExportColumns | None) -> Iterator[Record]:
    """The records of a CSV export, as ``_json_lines`` gives them."""
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    rows = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = rows.fieldnames or []
        if columns is not None and columns.text not in header:
            yield Record(1, {}, f"no '{columns.text}' column (columns: {', '.join(header) or 'none'})")
            return
        for row in rows:
            yield _checked(Record(rows.line_num, row), columns)
    except csv.Error as err:
        yield Record(rows.line_num, {}, f"bad CSV: {err}")


def _checked(record: Record, columns: ExportColumns | None) -> Record:
    if columns is None:
        return record
    text = record.values.get(columns.text)
    if not isinstance(text, str):
        what = "missing" if text is None else "not text"
        return replace(record, problem=f"'{columns.text}' is {what}")
    return record


def _text(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip() or None


def _iso_date(value: object, where: str) -> tuple[str | None, tuple[str, ...]]:
    """An ISO date from a date or date-time string; a warning otherwise.

    >>> _iso_date("2016-09-09T17:30:00Z", "dump.jsonl:3")
    ('2016-09-09', ())
    """
    text = _text(value)
    if text is None:
        return None, ()
    for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
        try:
            parsed = parse(text)
        except ValueError:
            continue
        return (parsed.date() if isinstance(parsed, dt.datetime) else parsed).isoformat(), ()
    return None, (f"{where}: 'published' is not an ISO date: {text!r}",)
