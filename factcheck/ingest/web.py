"""Read web addresses: a list of links, and each URL into a ``Document``."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from factcheck.ingest.debris import DebrisRules
from factcheck.ingest.errors import IngestError
from factcheck.ingest.fetch import TEXT_TYPES, Fetched, FetchOptions, fetch
from factcheck.ingest.page import Origin, read_page
from factcheck.ingest.reader import failed, read_text
from factcheck.model import Document

_SCHEMES = ("http", "https")
# File-name endings that say nothing about the story.
_INDEX_NAMES = re.compile(r"(?:index|default|article)(?:\.\w+)?$", re.IGNORECASE)


def is_url(text: str) -> bool:
    """Whether a command-line input is a web address rather than a path.

    >>> is_url("https://example.com/news/talks-stall"), is_url("examples/talks.txt")
    (True, False)
    """
    return urlsplit(text).scheme.lower() in _SCHEMES and "://" in text


def read_url_list(path: str | Path) -> list[str]:
    """The URLs in a text file of links: one per line; blank lines and
    lines starting with ``#`` are skipped. ``IngestError`` names the file
    and line of anything that is not an http(s) address.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file or directory") from None
    except UnicodeDecodeError:
        raise IngestError(f"{path}: a list of links must be UTF-8 text") from None
    except OSError as err:
        raise IngestError(f"{path}: cannot read: {err.strerror or err}") from None
    urls = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line) or not urlsplit(line).netloc:
            raise IngestError(f"{path}:{number}: not an http(s) address: {line[:80]}")
        urls.append(line)
    return urls


def make_url_id(url: str, taken: set[str]) -> str:
    """A document id from a URL: the slug of its last meaningful path part
    (or its host), made unique against ``taken`` like ``make_doc_id``.

    >>> taken = set()
    >>> make_url_id("https://example.com/2016/09/09/us-russia-deal-on-syria.html", taken)
    'us-russia-deal-on-syria'
    >>> make_url_id("https://example.com/", taken)
    'example-com'
    """
    parts = urlsplit(url)
    segments = [unquote(s) for s in parts.path.split("/") if s and not _INDEX_NAMES.fullmatch(s)]
    # A story's slug is the longest path part; dates and numeric ids are short.
    named = [s for s in segments if re.search(r"[^\W\d_]{3}", s)]
    # A file extension is dropped from a path part, never from the host.
    stem = re.sub(r"\.[a-z0-9]{2,5}$", "", max(named, key=len)) if named else parts.netloc.removeprefix("www.")
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:80].strip("-") or "page"
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate


def read_url(url: str, *, rules: DebrisRules, ident: str, options: FetchOptions) -> Document:
    """Fetch ``url`` (or read it from the cache) into a Document.

    A page the server says is gone (404, 410, 451) is ``unavailable``; any
    other failure (no answer, an HTTP error, too large, not a web page) is
    ``error``. Either way the reason names the problem and a warning names
    the URL.
    """
    return read_fetched(fetch(url, options), rules=rules, ident=ident)


def read_fetched(fetched: Fetched, *, rules: DebrisRules, ident: str) -> Document:
    """The Document of what fetching a URL gave (see ``read_url``)."""
    url = fetched.url
    origin = Origin(url, url=url, charset=fetched.charset, redirects=fetched.redirects)
    if fetched.gone:
        return failed(origin, ident, f"page gone ({fetched.problem})", status="unavailable")
    if fetched.problem:
        return failed(origin, ident, fetched.problem)
    digest = hashlib.sha256(fetched.body).hexdigest()
    if fetched.content_type in TEXT_TYPES:
        return read_text(fetched.body, origin=origin, ident=ident, rules=rules, sha256=digest)
    return read_page(fetched.body, origin=origin, ident=ident, rules=rules, sha256=digest)
