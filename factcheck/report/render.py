"""Render a claim set as a static, self-contained HTML site.

The site opens from ``file://`` with nothing fetched from elsewhere: the
stylesheet and script are inlined into every page, and a Content-Security-
Policy allows exactly those two inline blocks (by hash) and nothing else.

Everything taken from documents or claims.yaml is escaped: templates run with
autoescaping on, and the highlighted article text is assembled here from
``markupsafe`` pieces, never by replacing strings in markup.

Pages written: ``index.html``, ``figures.html`` and ``documents/<id>.html``
for every document known to the claim set or the ingest. A page under
``documents/`` that an earlier run wrote (it carries this renderer's
generator tag) and that no longer has a document is removed, so a stale
page cannot be mistaken for a current one; other files are left alone.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from factcheck.model import (
    GROUP_STATUSES,
    REVIEW_STATUSES,
    Claim,
    ClaimSet,
    Debris,
    Document,
    FigureGroup,
    Source,
    Span,
)

logger = logging.getLogger(__name__)

GENERATOR = "factcheck report"
STATUS_SYMBOLS = {"conflict": "✕", "shared": "✓", "single": "○", "ungrouped": "·"}
STATUS_ORDER = {"conflict": 0, "shared": 1, "single": 2}

# A blank line (possibly holding spaces) separates paragraphs.
_PARAGRAPH_BREAK = re.compile(r"\r?\n[^\S\n]*\n\s*")
# Ids that are safe as file names as they are; others get a hashed name.
_SAFE_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


# --------------------------------------------------------------------------
# Small formatting helpers


def _number_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return repr(float(value))


def _interval_text(claim: Claim) -> str:
    low, high = claim.low, claim.high
    if low is None and high is None:
        return _number_text(claim.value) or "—"
    if high is None:
        return f"≥ {_number_text(low)}"
    if low is None:
        return f"≤ {_number_text(high)}"
    if low == high:
        return _number_text(low)
    return f"{_number_text(low)} – {_number_text(high)}"


def _group_status(status: str | None) -> str:
    return status if status in GROUP_STATUSES else "ungrouped"


def _review_class(status: str) -> str:
    return status if status in REVIEW_STATUSES else "other"


def _group_order(group: FigureGroup) -> tuple[int, str, str]:
    return (STATUS_ORDER.get(group.status, len(STATUS_ORDER)), group.measure or "", group.id)


def _claim_order(claim: Claim) -> tuple[int, int, str]:
    if claim.span is None:
        return (1, 0, claim.id)
    return (0, claim.span.start, claim.id)


def _fragment(identifier: str) -> str:
    return "#" + quote(identifier, safe="")


def _page_stems(doc_ids: Iterable[str]) -> dict[str, str]:
    """File name stems for document pages, unique even on case-folding disks."""
    stems: dict[str, str] = {}
    taken: set[str] = set()
    for doc_id in sorted(doc_ids):
        digest = hashlib.sha1(doc_id.encode("utf-8")).hexdigest()
        stem = doc_id if _SAFE_STEM.fullmatch(doc_id) else "doc-" + digest[:12]
        if stem.casefold() in taken:
            stem = f"{stem}-{digest[:8]}"
        taken.add(stem.casefold())
        stems[doc_id] = stem
    return stems


# --------------------------------------------------------------------------
# Highlighting the article text


@dataclass(frozen=True)
class _Layer:
    """One element to wrap around text: ``order`` ranks outer before inner."""

    order: tuple[Any, ...]
    start: int
    end: int
    open_tag: Markup
    close_tag: Markup


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _select_marks(text: str, claims: Sequence[Claim]) -> tuple[list[Claim], dict[str, str]]:
    """Claims that can be highlighted, and why each of the others cannot.

    Highlights must nest to form valid HTML, so a claim that partly overlaps
    one already chosen (earlier start, then longer span, then id) is left out.
    """
    chosen: list[Claim] = []
    skipped: dict[str, str] = {}

    def order(claim: Claim) -> tuple[int, int, str]:
        span = claim.span
        return (span.start, -span.end, claim.id) if span else (0, 0, claim.id)

    for claim in sorted((c for c in claims if not c.missing), key=order):
        span = claim.span
        if span is None:
            skipped[claim.id] = "no position is recorded for this claim"
        elif span.end > len(text) or not span.slice(text).strip():
            skipped[claim.id] = "its recorded position lies outside the article text"
        elif _normalise(span.slice(text)) != _normalise(claim.text):
            skipped[claim.id] = "the text at its recorded position differs from the claim"
        elif any(_crosses(span, c.span) for c in chosen if c.span):
            skipped[claim.id] = "it overlaps another highlighted claim"
        else:
            chosen.append(claim)
    return chosen, skipped


def _crosses(a: Span, b: Span) -> bool:
    """Overlapping without one containing the other: cannot nest as elements."""
    return a.overlaps(b) and not (a.contains(b) or b.contains(a))


def _claim_tooltip(claim: Claim, group: FigureGroup | None) -> str:
    lines = [
        f"value: {_number_text(claim.value) or '—'}",
        f"interval: {_interval_text(claim)}",
        f"unit: {claim.unit or '—'}",
        f"measure: {claim.measure or '—'}",
        f"said by: {claim.said_by or 'the article'}",
        f"matched by: {claim.rule or '—'}",
        f"review: {claim.review.status}",
    ]
    if group is not None:
        lines.append(f"figure: {group.status} ({group.id})")
    return "\n".join(lines)


def _mark_layer(claim: Claim, span: Span, group: FigureGroup | None) -> _Layer:
    status = _group_status(group.status if group else None)
    classes = f"claim status-{status}" + (" latent" if claim.latent else "")
    open_tag = Markup(
        '<mark class="{}" id="{}" tabindex="0" data-claim="{}" data-status="{}"'
        ' data-review="{}" data-group="{}" title="{}">'
    ).format(
        classes,
        claim.id,
        claim.id,
        status,
        _review_class(claim.review.status),
        group.id if group else "",
        _claim_tooltip(claim, group),
    )
    order = (1, span.start, -span.end, claim.id)
    return _Layer(order, span.start, span.end, open_tag, Markup("</mark>"))


def _paragraph_layers(text: str, marks: Sequence[Claim]) -> list[_Layer]:
    """Paragraphs split on blank lines, except where a highlight spans the gap."""
    paragraphs: list[_Layer] = []
    start = 0

    def close(end: int) -> None:
        if text[start:end].strip():
            paragraphs.append(_Layer((0, start), start, end, Markup("<p>"), Markup("</p>")))

    for gap in _PARAGRAPH_BREAK.finditer(text):
        if any(c.span.start < gap.end() and gap.start() < c.span.end for c in marks if c.span):
            continue
        close(gap.start())
        start = gap.end()
    close(len(text))
    return paragraphs


def _debris_layers(text: str, debris: Sequence[Debris]) -> list[_Layer]:
    layers = []
    for index, item in enumerate(sorted(debris, key=lambda d: (d.span, d.reason))):
        start, end = item.span.start, min(item.span.end, len(text))
        if start < end:
            open_tag = Markup('<span class="debris" title="{}" data-reason="{}">').format(
                f"not article text: {item.reason}", item.reason
            )
            layers.append(_Layer((2, index), start, end, open_tag, Markup("</span>")))
    return layers


def _speaker_layers(text: str, claims: Sequence[Claim]) -> list[_Layer]:
    mentions = {}
    for claim in sorted(claims, key=lambda c: c.id):
        span = claim.said_by_span
        if span is not None and span.end <= len(text) and len(span) and not claim.missing:
            mentions.setdefault(span, claim.said_by or span.slice(text))
    layers = []
    for span in sorted(mentions):
        open_tag = Markup('<span class="speaker" title="{}">').format(f"speaker: {mentions[span]}")
        order = (3, span.start, span.end)
        layers.append(_Layer(order, span.start, span.end, open_tag, Markup("</span>")))
    return layers


def highlight(
    text: str,
    claims: Sequence[Claim],
    debris: Sequence[Debris] = (),
    groups: Mapping[str, FigureGroup] | None = None,
) -> tuple[Markup, dict[str, str]]:
    """The article text as HTML paragraphs with claims, speakers and debris marked.

    ``groups`` maps a claim id to its figure group. Returns the markup and,
    for each claim that could not be highlighted, the reason.
    """
    groups = groups or {}
    marks, skipped = _select_marks(text, claims)
    layers = (
        _paragraph_layers(text, marks)
        + [_mark_layer(c, c.span, groups.get(c.id)) for c in marks if c.span]
        + _debris_layers(text, debris)
        + _speaker_layers(text, claims)
    )
    cuts = sorted({0, len(text)} | {x for layer in layers for x in (layer.start, layer.end)})
    layers.sort(key=lambda layer: layer.order)
    pieces: list[Markup] = []
    stack: list[_Layer] = []
    for start, end in zip(cuts, cuts[1:]):
        wanted = [layer for layer in layers if layer.start <= start and end <= layer.end]
        # Outside every paragraph lies only blank-line whitespace.
        if not wanted or wanted[0].order[0] != 0:
            wanted = []
        keep = 0
        while keep < min(len(stack), len(wanted)) and stack[keep] is wanted[keep]:
            keep += 1
        pieces.extend(layer.close_tag for layer in reversed(stack[keep:]))
        pieces.extend(layer.open_tag for layer in wanted[keep:])
        stack = wanted
        if wanted:
            pieces.append(escape(text[start:end]))
    pieces.extend(layer.close_tag for layer in reversed(stack))
    return Markup("").join(pieces), skipped


# --------------------------------------------------------------------------
# Page data


@dataclass(frozen=True)
class _DocInfo:
    id: str
    stem: str
    title: str
    outlet: str | None
    published: str | None
    status: str
    reason: str | None
    url: str | None
    path: str | None
    sha256: str | None
    warnings: tuple[str, ...]
    document: Document | None


def _doc_info(doc_id: str, stem: str, source: Source | None, document: Document | None) -> _DocInfo:
    """Metadata for a document page, preferring the freshly ingested document."""

    def pick(name: str) -> Any:
        value = getattr(document, name, None) if document is not None else None
        return value if value not in (None, "") else getattr(source, name, None)

    if document is not None:
        status = document.status
    else:
        status = source.status if source is not None else "unknown"
    warnings = document.warnings if document is not None else ()
    if document is not None and source is not None and document.sha256 and source.sha256:
        if document.sha256 != source.sha256:
            # Spans were recorded against the old text and may point elsewhere now.
            warnings += ("The document has changed since its claims were recorded.",)
    return _DocInfo(
        id=doc_id,
        stem=stem,
        title=pick("title") or doc_id,
        outlet=pick("outlet"),
        published=pick("published"),
        status=status,
        reason=pick("reason"),
        url=pick("url"),
        path=pick("path"),
        sha256=pick("sha256") or None,
        warnings=warnings,
        document=document,
    )


def _page_href(info: _DocInfo) -> str:
    """A document page's address relative to the site root."""
    return f"documents/{quote(info.stem)}.html"


def _claim_row(
    claim: Claim, group: FigureGroup | None, *, anchor: bool, why_not_shown: str | None
) -> dict[str, Any]:
    status = _group_status(group.status if group else None)
    return {
        "id": claim.id,
        "anchor": anchor,
        "href": None if anchor or claim.missing else _fragment(claim.id),
        "text": claim.text,
        "sentence": claim.sentence,
        "kind": claim.kind,
        "value": _number_text(claim.value),
        "interval": _interval_text(claim),
        "unit": claim.unit or "",
        "measure": claim.measure or "",
        "said_by": claim.said_by or "the article",
        "cue": claim.cue or "",
        "rule": claim.rule,
        "review": claim.review.status,
        "review_class": _review_class(claim.review.status),
        "note": claim.review.note,
        "status": status,
        "group_href": "../figures.html" + _fragment(group.id) if group else None,
        "latent": claim.latent,
        "why_not_shown": why_not_shown,
    }


def _document_page(
    info: _DocInfo, claims: Sequence[Claim], groups_by_claim: Mapping[str, FigureGroup]
) -> dict[str, Any]:
    present = sorted((c for c in claims if not c.missing), key=_claim_order)
    missing = sorted((c for c in claims if c.missing), key=lambda c: c.id)
    document = info.document
    article = None
    skipped = {c.id: "the document text is not available" for c in present}
    if document is not None and document.text:
        article, skipped = highlight(document.text, present, document.debris, groups_by_claim)
    notice = None
    if article is None:
        notice = "The text of this document is not available"
        notice += f" ({info.reason})." if info.reason else "."
        notice += " Its claims are listed below as recorded."
    elif info.status != "ok":
        notice = f"This document is marked “{info.status}”"
        notice += f": {info.reason}." if info.reason else "."
    rows = [
        _claim_row(
            c, groups_by_claim.get(c.id), anchor=c.id in skipped, why_not_shown=skipped.get(c.id)
        )
        for c in present
    ]
    missing_rows = [
        _claim_row(c, groups_by_claim.get(c.id), anchor=True, why_not_shown=None) for c in missing
    ]
    meta = [
        ("Document id", info.id),
        ("Outlet", info.outlet),
        ("Published", info.published),
        ("Status", info.status),
        ("Reason", info.reason),
        ("Address", info.url),
        ("File", info.path),
        ("SHA-256", info.sha256),
    ]
    return {
        "info": info,
        "meta": [(label, value) for label, value in meta if value],
        "warnings": info.warnings,
        "notice": notice,
        "article": article,
        "rows": rows,
        "missing_rows": missing_rows,
    }


def _figure_rows(
    group: FigureGroup, claims: Mapping[str, Claim], infos: Mapping[str, _DocInfo]
) -> list[dict[str, Any]]:
    rows = []
    for claim_id in group.claim_ids:
        claim = claims.get(claim_id)
        if claim is None:
            rows.append({"id": claim_id, "unknown": True})
            continue
        info = infos.get(claim.source)
        page = _page_href(info) if info else None
        rows.append(
            {
                "id": claim.id,
                "unknown": False,
                "source": claim.source,
                "page": page,
                "href": page + _fragment(claim.id) if page else None,
                "outlet": info.outlet if info else None,
                "published": info.published if info else None,
                "said_by": claim.said_by or "the article",
                "text": claim.text,
                "interval": _interval_text(claim),
                "unit": claim.unit or "",
                "sentence": claim.sentence,
                "review": claim.review.status,
                "review_class": _review_class(claim.review.status),
            }
        )
    return rows


def _group_view(
    group: FigureGroup, claims: Mapping[str, Claim], infos: Mapping[str, _DocInfo]
) -> dict[str, Any]:
    return {
        "id": group.id,
        "href": "figures.html" + _fragment(group.id),
        "status": _group_status(group.status),
        "kind": group.kind,
        "measure": group.measure or "",
        "unit": group.unit or "",
        "explanation": group.explanation,
        "sources": len(group.sources),
        "rows": _figure_rows(group, claims, infos),
    }


def _speakers(claims: Sequence[Claim], infos: Mapping[str, _DocInfo]) -> list[dict[str, Any]]:
    by_speaker: dict[str, list[Claim]] = {}
    for claim in claims:
        if claim.said_by:
            by_speaker.setdefault(claim.said_by, []).append(claim)
    rows = []
    for name in sorted(by_speaker, key=lambda n: (-len(by_speaker[n]), n.casefold(), n)):
        doc_ids = sorted({c.source for c in by_speaker[name]})
        docs = [
            {"id": d, "href": _page_href(infos[d]) if d in infos else None}
            for d in doc_ids
        ]
        rows.append({"name": name, "claims": len(by_speaker[name]), "documents": docs})
    return rows


def _review_counts(claims: Sequence[Claim]) -> list[tuple[str, int]]:
    counts = Counter(c.review.status for c in claims)
    known = [(status, counts.get(status, 0)) for status in REVIEW_STATUSES]
    others = sorted((s, n) for s, n in counts.items() if s not in REVIEW_STATUSES)
    return known + others


# --------------------------------------------------------------------------
# Output


def _static(name: str) -> str:
    return resources.files("factcheck.report").joinpath("static", name).read_text(encoding="utf-8")


def _csp_hash(content: str) -> str:
    digest = hashlib.sha256(content.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _environment() -> jinja2.Environment:
    # autoescape=True for every template: select_autoescape decides by file
    # extension and would leave ``.html.j2`` unescaped.
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("factcheck.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["symbols"] = STATUS_SYMBOLS
    return env


def _assets() -> dict[str, Any]:
    css, js = _static("report.css"), _static("report.js")
    # Inlined verbatim, so they must not be able to end their own element.
    if "</" in css or "</" in js:
        raise ValueError("report.css and report.js must not contain '</'")
    csp = (
        f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return {"css": Markup(css), "js": Markup(js), "csp": csp, "generator": GENERATOR}


def _write(path: Path, content: str) -> Path:
    """Write ``content`` to ``path`` atomically: readers see old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(content.encode("utf-8"))
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return path


def _remove_stale(directory: Path, keep: set[Path]) -> None:
    """Delete document pages an earlier run wrote for documents now gone."""
    if not directory.is_dir():
        return
    marker = f'<meta name="generator" content="{GENERATOR}">'.encode()
    for page in sorted(directory.glob("*.html")):
        if page in keep or not page.is_file():
            continue
        with page.open("rb") as handle:
            head = handle.read(2048)
        if marker in head:
            logger.info("removing stale page %s", page)
            page.unlink()


def render_report(
    claimset: ClaimSet,
    documents: Mapping[str, Document],
    groups: Sequence[FigureGroup],
    out_dir: Path,
    *,
    title: str = "factcheck report",
) -> list[Path]:
    """Write the report site into ``out_dir`` and return the files written.

    Same inputs give byte-identical files. ``documents`` maps a document id to
    its ingested text; a source without one gets a page with its metadata and
    recorded claims only.
    """
    out_dir = Path(out_dir)
    env = _environment()
    common = {"title": title, **_assets()}
    sources = {s.id: s for s in claimset.sources}
    doc_ids = set(sources) | set(documents) | {c.source for c in claimset.claims}
    stems = _page_stems(doc_ids)
    infos = {d: _doc_info(d, stems[d], sources.get(d), documents.get(d)) for d in sorted(doc_ids)}
    claims = {c.id: c for c in claimset.claims}
    ordered_groups = sorted(groups, key=_group_order)
    groups_by_claim: dict[str, FigureGroup] = {}
    for group in ordered_groups:
        for claim_id in group.claim_ids:
            groups_by_claim.setdefault(claim_id, group)
    claims_by_doc: dict[str, list[Claim]] = {d: [] for d in doc_ids}
    for claim in claimset.claims:
        claims_by_doc[claim.source].append(claim)
    views = [_group_view(g, claims, infos) for g in ordered_groups]

    written: list[Path] = []
    index = env.get_template("index.html.j2").render(
        **common,
        root="",
        counts={
            "documents": len(infos),
            "claims": len(claimset.claims),
            "latent": sum(c.latent for c in claimset.claims),
            "missing": sum(c.missing for c in claimset.claims),
            "conflict": sum(v["status"] == "conflict" for v in views),
            "shared": sum(v["status"] == "shared" for v in views),
            "single": sum(v["status"] == "single" for v in views),
        },
        reviews=_review_counts(claimset.claims),
        conflicts=[v for v in views if v["status"] == "conflict"],
        shared=[v for v in views if v["status"] == "shared"],
        documents=[
            {"info": info, "href": _page_href(info), "claims": len(claims_by_doc[d])}
            for d, info in infos.items()
        ],
        speakers=_speakers(claimset.claims, infos),
        unattributed=sum(1 for c in claimset.claims if not c.said_by),
    )
    written.append(_write(out_dir / "index.html", index))
    figures = env.get_template("figures.html.j2").render(**common, root="", groups=views)
    written.append(_write(out_dir / "figures.html", figures))

    template = env.get_template("document.html.j2")
    pages_dir = out_dir / "documents"
    for doc_id, info in infos.items():
        page = _document_page(info, claims_by_doc[doc_id], groups_by_claim)
        html = template.render(**common, root="../", **page)
        written.append(_write(pages_dir / f"{info.stem}.html", html))
    _remove_stale(pages_dir, set(written))
    return written
