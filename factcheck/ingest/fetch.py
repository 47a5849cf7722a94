"""Fetch web pages over HTTP(S), politely, with a local cache.

Each URL is fetched once: the response (body, final address, redirects,
status, content type) is kept in a cache folder, so a rescan reads the
cache and does not ask the site again. A fetch never raises: what went wrong
(a time-out, a refused connection, an HTTP error, a page over the size
limit) comes back as ``Fetched.problem``.

The cache holds two files per URL, named by the SHA-256 of the URL:
``<hash>.json`` (what the server said) and ``<hash>.body`` (the bytes). Both
are written atomically; deleting the folder, or ``--refetch``, makes the
next scan fetch again.
"""

from __future__ import annotations

import email.message
import hashlib
import json
import socket
import urllib.error
import urllib.request
from dataclasses import field, replace
from pathlib import Path
from typing import Any

from factcheck import __version__
from factcheck.files import write_atomically
from factcheck.ingest.inputs import MAX_INPUT_BYTES
from factcheck.model import datatype

USER_AGENT = f"factcheck-figures/{__version__} (fact-checking tool; reads each page once and caches it)"
# Content types read as web pages or as plain text; anything else is refused.
PAGE_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain", "text/markdown")
# HTTP statuses that mean the page is gone, not that the site failed.
GONE_STATUSES = (404, 410, 451)
_CACHE_FORMAT = 1


@datatype(frozen=True)
class FetchOptions:
    """How to fetch: where the cache is (None: no cache), time-out in
    seconds per request, size limit in bytes, redirects to follow at most,
    and whether to ignore what is cached."""

    cache_dir: Path | None = None
    timeout: float = 20.0
    max_bytes: int = MAX_INPUT_BYTES
    max_redirects: int = 10
    user_agent: str = USER_AGENT
    refetch: bool = False


@datatype(frozen=True)
class Fetched:
    """What fetching one URL gave.

    ``final_url`` is where the page was read after ``redirects`` (each
    address the server sent the request on to, in order). ``status`` is the
    HTTP status, None when no answer came. ``problem`` says why there is no
    page to read; ``gone`` is true when the server said the page is not
    there (404, 410, 451).
    """

    url: str
    final_url: str
    status: int | None = None
    content_type: str | None = None
    charset: str | None = None
    body: bytes = b""
    redirects: tuple[str, ...] = ()
    problem: str | None = None
    from_cache: bool = False
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def gone(self) -> bool:
        return self.status in GONE_STATUSES

    @property
    def is_page(self) -> bool:
        return self.content_type in PAGE_TYPES


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects like urllib does, remembering each new address and
    stopping after ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.seen: list[str] = []

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        if len(self.seen) >= self.limit:
            raise urllib.error.HTTPError(newurl, code, f"more than {self.limit} redirects", headers, fp)
        self.seen.append(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, options: FetchOptions) -> Fetched:
    """Fetch ``url``, from the cache when it is there.

    Only responses the server gave are cached (a page, or an HTTP error
    such as 404); a time-out or a refused connection is tried again next
    time.
    """
    cached = None if options.refetch else read_cache(url, options.cache_dir)
    if cached is not None:
        return cached
    fetched = _fetch_live(url, options)
    if fetched.status is not None and options.cache_dir is not None:
        _write_cache(fetched, options.cache_dir)
    return fetched


def _fetch_live(url: str, options: FetchOptions) -> Fetched:
    redirects = _Redirects(options.max_redirects)
    opener = urllib.request.build_opener(redirects)
    request = urllib.request.Request(
        url, headers={"User-Agent": options.user_agent, "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9"}
    )
    try:
        with opener.open(request, timeout=options.timeout) as response:
            return _read_response(url, response, response.status, tuple(redirects.seen), options)
    except urllib.error.HTTPError as err:
        with err:
            fetched = _read_response(url, err, err.code, tuple(redirects.seen), options)
        reason = err.reason if isinstance(err.reason, str) else ""
        return replace(fetched, problem=f"HTTP {err.code} {reason}".strip())
    except urllib.error.URLError as err:
        return Fetched(url, url, redirects=tuple(redirects.seen), problem=f"cannot connect: {_reason(err.reason)}")
    except (TimeoutError, socket.timeout):
        return Fetched(url, url, redirects=tuple(redirects.seen), problem=f"no answer within {options.timeout:g} s")
    except (OSError, ValueError) as err:
        # ValueError: an address urllib cannot use, such as "http://" alone.
        return Fetched(url, url, problem=f"cannot fetch: {_reason(err)}")


def _reason(reason: object) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def _read_response(
    url: str, response: Any, status: int, redirects: tuple[str, ...], options: FetchOptions
) -> Fetched:
    headers: email.message.Message = response.headers
    content_type = (headers.get_content_type() or "").lower() if headers else ""
    charset = headers.get_content_charset() if headers else None
    final_url = response.geturl() if hasattr(response, "geturl") else url
    base = Fetched(
        url=url,
        final_url=final_url or url,
        status=status,
        content_type=content_type or None,
        charset=charset,
        redirects=redirects,
        headers={key.lower(): value for key, value in (headers.items() if headers else [])},
    )
    length = headers.get("Content-Length") if headers else None
    if length and length.isdigit() and int(length) > options.max_bytes:
        return replace(base, problem=_too_large(options))
    try:
        body = response.read(options.max_bytes + 1)
    except (TimeoutError, socket.timeout):
        return replace(base, status=None, problem=f"no answer within {options.timeout:g} s")
    except OSError as err:
        return replace(base, status=None, problem=f"connection broken: {_reason(err)}")
    if len(body) > options.max_bytes:
        return replace(base, problem=_too_large(options))
    if content_type and content_type not in PAGE_TYPES + TEXT_TYPES and 200 <= status < 300:
        return replace(base, problem=f"not a web page (content type {content_type})")
    return replace(base, body=body)


def _too_large(options: FetchOptions) -> str:
    return f"larger than the {options.max_bytes // 2**20} MB input limit"


def cache_key(url: str) -> str:
    """The name of a URL's files in the cache.

    >>> cache_key("https://example.com/a")[:12]
    '2dce0a4c5044'
    """
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def read_cache(url: str, cache_dir: Path | None) -> Fetched | None:
    """What the cache holds for ``url``, or None; never asks the network."""
    if cache_dir is None:
        return None
    key = cache_key(url)
    try:
        record = json.loads((cache_dir / f"{key}.json").read_text(encoding="utf-8"))
        body = (cache_dir / f"{key}.body").read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != _CACHE_FORMAT or record.get("url") != url:
        return None
    return Fetched(
        url=url,
        final_url=record["final_url"],
        status=record["status"],
        content_type=record["content_type"],
        charset=record["charset"],
        body=body,
        redirects=tuple(record["redirects"]),
        problem=record["problem"],
        from_cache=True,
        headers=record["headers"],
    )


def _write_cache(fetched: Fetched, cache_dir: Path) -> None:
    """Store a response; a cache that cannot be written only costs a refetch."""
    key = cache_key(fetched.url)
    record = {
        "format": _CACHE_FORMAT,
        "url": fetched.url,
        "final_url": fetched.final_url,
        "status": fetched.status,
        "content_type": fetched.content_type,
        "charset": fetched.charset,
        "redirects": list(fetched.redirects),
        "problem": fetched.problem,
        "headers": fetched.headers,
    }
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # The body first: a record is only ever next to its complete body.
        write_atomically(cache_dir / f"{key}.body", fetched.body)
        write_atomically(cache_dir / f"{key}.json", json.dumps(record, indent=1, sort_keys=True).encode("utf-8"))
    except OSError:
        return

