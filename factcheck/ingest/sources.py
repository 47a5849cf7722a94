"""Every input of a scan, of every kind, read into Documents in a fixed order.

Inputs are files and folders (articles and saved pages), export files
(``.jsonl``, ``.csv``) and web addresses, given on the command line or in
files of links. Local files come first, sorted by path as ``find_inputs``
sorts them; then the URLs, in the order given. Ids are given in that order,
so the same inputs always get the same ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import field
from pathlib import Path

from factcheck.ingest.debris import DebrisRules
from factcheck.ingest.exports import ExportColumns, is_export, read_export
from factcheck.ingest.fetch import FetchOptions
from factcheck.ingest.inputs import HTML_SUFFIXES, find_inputs, make_doc_id
from factcheck.ingest.reader import read_document
from factcheck.ingest.web import is_url, make_url_id, read_url, read_url_list
from factcheck.model import Document, datatype


@datatype(frozen=True)
class InputOptions:
    """How to read inputs other than plain files: the files of links
    (``--urls``), the column names of exports, and how to fetch URLs."""

    url_lists: tuple[Path, ...] = ()
    columns: ExportColumns = field(default_factory=ExportColumns)
    fetch: FetchOptions = field(default_factory=FetchOptions)


@datatype(frozen=True)
class Input:
    """One thing to read: a file, an export or a URL (``kind``)."""

    kind: str  # "file" | "export" | "url"
    target: str


def plan_inputs(given: Sequence[str | Path], url_lists: Sequence[Path] = ()) -> list[Input]:
    """What to read, in reading order. Raises ``IngestError`` for a path
    that does not exist or a bad file of links.

    >>> plan_inputs(["https://example.com/talks-stall"])
    [Input(kind='url', target='https://example.com/talks-stall')]
    """
    urls = [str(g) for g in given if is_url(str(g))]
    for url_list in url_lists:
        urls += read_url_list(url_list)
    files = find_inputs([g for g in given if not is_url(str(g))])
    planned = [Input("export" if is_export(f) else "file", f.as_posix()) for f in files]
    seen: set[str] = set()
    for url in urls:
        if url not in seen:
            seen.add(url)
            planned.append(Input("url", url))
    return planned


# Reads files given as (path, document id) pairs, in order: one after
# another by default; the pipeline may hand in one that reads them in
# several processes.
FileReader = Callable[[Sequence[tuple[str, str]]], Iterator[Document]]


def read_inputs(
    planned: Sequence[Input],
    *,
    rules: DebrisRules,
    options: InputOptions,
    progress: Callable[[Iterable[Input]], Iterable[Input]] | None = None,
    read_files: FileReader | None = None,
) -> list[Document]:
    """Read every planned input; bad input gives a Document with a status
    and a warning, never an exception. ``read_files`` reads the plain
    files and saved pages (see ``FileReader``)."""
    taken: set[str] = set()
    # Ids of files and URLs are fixed before reading, so that they do not
    # depend on how many records an export turns out to hold.
    ids = {
        item: make_url_id(item.target, taken) if item.kind == "url" else make_doc_id(item.target, taken)
        for item in planned
        if item.kind != "export"
    }
    files = [(item.target, ids[item]) for item in planned if item.kind == "file"]
    if read_files is None:
        read = (read_document(path, rules=rules, doc_id=doc_id) for path, doc_id in files)
    else:
        if any(Path(path).suffix.lower() in HTML_SUFFIXES for path, _ in files):
            # The page reader (trafilatura) takes half a second to import:
            # imported here, it is shared by processes the reader forks.
            import factcheck.ingest.html  # noqa: F401
        read = read_files(files)
    documents: list[Document] = []
    for item in progress(planned) if progress else planned:
        if item.kind == "export":
            documents += read_export(item.target, rules=rules, columns=options.columns, taken=taken)
        elif item.kind == "url":
            documents.append(read_url(item.target, rules=rules, ident=ids[item], options=options.fetch))
        else:
            documents.append(next(read))
    return documents
