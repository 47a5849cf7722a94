"""Read one article file into a ``Document``: decode it, then mark what is
article text (the body) and what is debris, without changing a character.

Text and Markdown files are laid out as they are (see ``layout``); web pages
(``.html``, ``.htm``) are read by ``page``, which keeps their main text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from factcheck.ingest.debris import DebrisRules
from factcheck.ingest.encoding import decode_bytes
from factcheck.ingest.frontmatter import read_front_matter
from factcheck.ingest.inputs import HTML_SUFFIXES, MAX_INPUT_BYTES, make_doc_id
from factcheck.ingest.layout import Layout, lay_out
from factcheck.ingest.page import Origin, read_page
from factcheck.model import Debris, Document

__all__ = ["Layout", "failed", "lay_out", "read_document", "read_text"]

def read_document(path: str | Path, *, rules: DebrisRules, doc_id: str | None = None) -> Document:
    """Read the article file at ``path`` into a Document: a web page by its
    suffix (``HTML_SUFFIXES``), any other file as text.

    Never raises for what is in the file: an unreadable, binary, empty,
    oversized or dead page comes back with ``status`` and ``reason`` set
    (see ``factcheck.model.SOURCE_STATUSES``) and a line in ``warnings``.
    ``doc_id`` defaults to ``make_doc_id(path, set())``.

    >>> from factcheck.ingest import load_debris_rules
    >>> doc = read_document("examples/harbour-post-reconstruction.txt", rules=load_debris_rules())
    >>> doc.title, doc.status
    ('Estover rebuild will cost $1.2bn, governor says', 'ok')
    >>> doc.debris[0]
    Debris(span=Span(start=436, end=595), reason='dead-page notice')
    """
    path = Path(path)
    ident = doc_id or make_doc_id(path, set())
    origin = Origin(str(path), path=path.as_posix())
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            return failed(origin, ident, f"larger than the {MAX_INPUT_BYTES // 2**20} MB input limit")
        raw = path.read_bytes()
    except OSError as err:
        return failed(origin, ident, f"cannot read file: {err.strerror or err}")
    digest = hashlib.sha256(raw).hexdigest()
    if path.suffix.lower() in HTML_SUFFIXES:
        return read_page(raw, origin=origin, ident=ident, rules=rules, sha256=digest)
    return read_text(raw, origin=origin, ident=ident, rules=rules, sha256=digest)


def read_text(raw: bytes, *, origin: Origin, ident: str, rules: DebrisRules, sha256: str) -> Document:
    """Read the bytes of a plain text or Markdown article (see ``read_document``)."""
    where = origin.where
    decoded = decode_bytes(raw)
    if decoded.problem:
        return failed(origin, ident, decoded.problem, sha256=sha256)
    warnings = [f"{where}: not UTF-8, decoded as {decoded.encoding}"] if decoded.is_fallback else []
    text = decoded.text
    if not text.strip():
        return failed(origin, ident, "empty file", sha256=sha256, text=text, status="empty", warnings=warnings)

    front = read_front_matter(text, where)
    warnings += front.warnings
    layout = lay_out(text, rules, start=front.span.end if front.span else 0)
    debris = ((Debris(front.span, "front matter"),) if front.span else ()) + layout.debris
    status, reason = "ok", None
    if layout.dead_page is not None:
        status, reason = "unavailable", f"dead page: {layout.dead_page}"
        warnings.append(f"{where}: page unavailable ({layout.dead_page})")
    elif not layout.body:
        status, reason = "empty", "no article text, only debris"
        warnings.append(f"{where}: {reason}")
    return Document(
        id=ident,
        text=text,
        body=layout.body,
        path=origin.path,
        url=front.url or origin.url,
        title=front.title or layout.title,
        outlet=front.outlet,
        published=front.published,
        sha256=sha256,
        status=status,
        reason=reason,
        debris=debris,
        warnings=tuple(warnings),
        redirects=origin.redirects,
    )


def failed(
    origin: Origin,
    ident: str,
    reason: str,
    *,
    sha256: str = "",
    text: str = "",
    status: str = "error",
    warnings: Sequence[str] = (),
) -> Document:
    """A Document that could not be read, with a warning naming the input."""
    return Document(
        id=ident,
        text=text,
        body=(),
        path=origin.path,
        url=origin.url,
        sha256=sha256,
        status=status,
        reason=reason,
        warnings=(*warnings, f"{origin.where}: {reason}"),
        redirects=origin.redirects,
    )
