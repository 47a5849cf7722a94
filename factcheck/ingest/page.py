"""Turn a web page (bytes from a file or a server) into a ``Document``.

``Document.text`` is the page's main text as ``html.parse_page`` reads it,
paragraphs separated by blank lines; the debris rules then run on it as on a
text file, so a dead-page notice after the article is cut off as debris. The
verdict on the whole page comes after, from what the page shows around its
main text:

- ``unavailable``: a dead, moved or removed page ("Page not found" as its
  title, a heading or a line) with too little main text to be an article;
- ``paywalled``: a paywall notice and only a teaser's worth of main text;
- ``not-article``: a section front, more story headlines than text;
- ``empty``: no main text at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from factcheck.ingest.debris import DEAD_PAGE_HEADING, PAYWALL_NOTICE, DebrisRules
from factcheck.ingest.encoding import decode_html
from factcheck.ingest.layout import Layout, lay_out
from factcheck.model import Document, datatype

if TYPE_CHECKING:
    from factcheck.ingest.html import Page

# How a site name is joined to a page title: "Page not found | Example News".
_TITLE_PARTS = re.compile(r"\s+[|:–—·»-]\s+|:\s+")


@datatype(frozen=True)
class Origin:
    """Where a page came from, for the Document and for messages.

    ``where`` names the input in warnings (a path or a URL).
    """

    where: str
    path: str | None = None
    url: str | None = None
    charset: str | None = None  # from the HTTP Content-Type header
    redirects: tuple[str, ...] = ()


def read_page(raw: bytes, *, origin: Origin, ident: str, rules: DebrisRules, sha256: str) -> Document:
    """Read the bytes of a web page into a Document, with its metadata and
    its status. Never raises for what is in the page.

    >>> from factcheck.ingest import load_debris_rules
    >>> doc = read_page(
    ...     b"<html><head><title>Page not found | Example News</title></head>"
    ...     b"<body><h1>Page not found</h1><p>Try the search box.</p></body></html>",
    ...     origin=Origin("gone.html", path="gone.html"), ident="gone", rules=load_debris_rules(), sha256="",
    ... )
    >>> doc.status, doc.reason
    ('unavailable', 'dead page: Page not found')
    """
    decoded = decode_html(raw, origin.charset)
    base = Document(
        id=ident,
        text="",
        body=(),
        path=origin.path,
        url=origin.url,
        sha256=sha256,
        redirects=origin.redirects,
    )
    if decoded.problem:
        return _with_status(base, "error", decoded.problem, origin.where)
    warnings = [f"{origin.where}: no encoding declared and not UTF-8, decoded as {decoded.encoding}"] if decoded.is_fallback else []
    # Imported here: trafilatura is slow to load and plain text never needs it.
    from factcheck.ingest.html import parse_page

    page = parse_page(decoded.text)
    layout = lay_out(page.text, rules)
    document = Document(
        id=ident,
        text=page.text,
        body=layout.body,
        path=origin.path,
        url=origin.url,
        title=page.meta.title or page.title_tag or layout.title,
        outlet=page.meta.outlet,
        published=page.meta.published,
        sha256=sha256,
        debris=layout.debris,
        warnings=tuple(warnings),
        author=page.meta.author,
        canonical_url=page.meta.canonical_url,
        redirects=origin.redirects,
    )
    verdict = judge_page(page, layout, rules)
    if verdict is None:
        return document
    status, reason = verdict
    return _with_status(document, status, reason, origin.where)


def judge_page(page: Page, layout: Layout, rules: DebrisRules) -> tuple[str, str] | None:
    """The status and reason of a page that is not an article, or None.

    >>> from factcheck.ingest import load_debris_rules
    >>> from factcheck.ingest.html import Page, PageMeta
    >>> rules = load_debris_rules()
    >>> page = Page(text="", meta=PageMeta(), title_tag="Example News: Page Not Found")
    >>> judge_page(page, lay_out("", rules), rules)
    ('unavailable', 'dead page: Page Not Found')
    """
    words = sum(len(span.slice(page.text).split()) for span in layout.body)
    if layout.dead_page is not None:
        return "unavailable", f"dead page: {layout.dead_page}"
    # A notice the layout already cut off follows real article text.
    cut = any(d.reason == "dead-page notice" for d in layout.debris)
    heading = None if cut else _dead_page_heading(page, rules)
    if heading is not None and words < rules.dead_page_article_words:
        return "unavailable", f"dead page: {heading}"
    if words < rules.paywall_teaser_words and _shows(page, layout, rules, PAYWALL_NOTICE):
        return "paywalled", f"paywall: only {words} words of the article are readable"
    headlines = page.linked_headings
    if headlines >= rules.front_headlines and words < rules.front_words_per_headline * headlines:
        return "not-article", f"section front: {headlines} headlines of other stories, {words} words of text"
    if not layout.body:
        reason = "no article text, only debris" if page.text.strip() else "no article text found in the page"
        return "empty", reason
    return None


def _dead_page_heading(page: Page, rules: DebrisRules) -> str | None:
    """The first dead-page heading the page shows: as a part of its title,
    as a heading, or as a line of its own."""
    candidates: list[str] = []
    if page.title_tag:
        candidates += [part.strip() for part in _TITLE_PARTS.split(page.title_tag)]
        candidates.append(page.title_tag)
    candidates += [*page.headings, *page.lines]
    for candidate in candidates:
        if candidate and rules.covers(candidate, (DEAD_PAGE_HEADING,)):
            return candidate
    return None


def _shows(page: Page, layout: Layout, rules: DebrisRules, kind: str) -> bool:
    if any(d.reason == kind for d in layout.debris):
        return True
    return any(rules.covers(line, (kind,)) for line in page.lines)


def _with_status(document: Document, status: str, reason: str, where: str) -> Document:
    # A page that is not an article gives no claims, so nothing of it is body.
    body = document.body if status == "ok" else ()
    warnings: Sequence[str] = (*document.warnings, f"{where}: {_describe(status, reason)}")
    return replace(document, body=body, status=status, reason=reason, warnings=tuple(warnings))


def _describe(status: str, reason: str) -> str:
    if status == "unavailable":
        return f"page unavailable ({reason})"
    if status == "error":
        return reason
    return f"{status} ({reason})"
