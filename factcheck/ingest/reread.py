"""Read a scanned source again, for reports drawn from claims.yaml alone.

``factcheck report`` shows each document's text with its claims marked.
claims.yaml keeps no text, so each source is read again from where the
scan read it: a file from its path, an export record from its export file,
a web page from the fetch cache. Nothing is fetched: a page that is not in
the cache is shown with its claims only. A source whose bytes no longer
have the SHA-256 recorded at the scan is not shown either, since its
claims' spans point into the old text.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from factcheck.ingest.debris import DebrisRules
from factcheck.ingest.exports import reread_record
from factcheck.ingest.fetch import read_cache
from factcheck.ingest.reader import read_document
from factcheck.ingest.web import read_fetched
from factcheck.model import Document, Source

_CLAIMS_ONLY = "its page shows claims only"
_RESCAN = "run 'factcheck scan' again"


def reread_source(
    source: Source, *, rules: DebrisRules, base: Path, cache_dir: Path | None
) -> tuple[Document | None, str | None]:
    """The document of ``source`` read again, or None and a warning saying
    why not (None and None for a source that had no text to show).

    A relative path is looked for from the working folder, then from
    ``base`` (the claims file's folder); URLs are looked up in ``cache_dir``.
    """
    if source.path is not None:
        path = Path(source.path)
        if not path.is_absolute() and not path.exists():
            path = base / path
        if not path.exists():
            return None, f"{source.path}: file not found; {_CLAIMS_ONLY}"
        if source.record is not None:
            return _record(source, path, rules)
        document = read_document(path, rules=rules, doc_id=source.id)
        if document.sha256 != source.sha256:
            return None, f"{source.path}: changed since the scan; {_RESCAN}"
        return replace(document, path=source.path), None
    # A page that could not be fetched was never cached and has no text.
    if source.url is None or not source.sha256:
        return None, None
    fetched = read_cache(source.url, cache_dir)
    if fetched is None:
        return None, f"{source.url}: not in the fetch cache ({cache_dir}); {_CLAIMS_ONLY}"
    document = read_fetched(fetched, rules=rules, ident=source.id)
    if document.sha256 != source.sha256:
        return None, f"{source.url}: the cached page changed since the scan; {_RESCAN}"
    return document, None


def _record(source: Source, path: Path, rules: DebrisRules) -> tuple[Document | None, str | None]:
    if not source.sha256:
        return None, None
    document, problem = reread_record(path, source.record or "", source.sha256, rules=rules, ident=source.id)
    if document is None:
        advice = _RESCAN if problem and problem.endswith("changed since the scan") else _CLAIMS_ONLY
        return None, f"{source.path}: {problem}; {advice}"
    # The scan's column names are not known here, only the text field is
    # found: the title, outlet, date and address are as claims.yaml recorded
    # them, and warnings about fields read under guessed names are dropped.
    return (
        replace(
            document,
            path=source.path,
            url=source.url,
            title=source.title,
            outlet=source.outlet,
            published=source.published,
            warnings=(),
        ),
        None,
    )
