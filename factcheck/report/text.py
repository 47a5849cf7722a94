"""The article text as HTML: every figure highlighted, speakers beside it.

The markup is assembled from ``markupsafe`` pieces over the original text:
each element to draw (a paragraph, a highlighted claim, a debris stretch, a
speaker mention) is a *layer* with a span, and the text is cut at every
layer boundary, so elements always nest and nothing is ever replaced inside
markup. Escaping happens once, on each piece of text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from factcheck.model import GROUP_STATUSES, REVIEW_STATUSES, Claim, Debris, FigureGroup, Span

STATUS_SYMBOLS = {"conflict": "✕", "update": "↻", "shared": "✓", "single": "○", "ungrouped": "·"}

# A blank line (possibly holding spaces) separates paragraphs.
_PARAGRAPH_BREAK = re.compile(r"\r?\n[^\S\n]*\n\s*")


def number_text(value: Any) -> str:
    """A figure's value as a reader writes it: ``290000.0`` -> ``"290,000"``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return repr(float(value))


def interval_text(claim: Claim) -> str:
    """The interval the claim's wording allows: "≥ 300", "4,050 – 4,950"."""
    low, high = claim.low, claim.high
    if low is None and high is None:
        return number_text(claim.value) or "—"
    if high is None:
        return f"≥ {number_text(low)}"
    if low is None:
        return f"≤ {number_text(high)}"
    if low == high:
        return number_text(low)
    return f"{number_text(low)} – {number_text(high)}"


def group_status(group: FigureGroup | None) -> str:
    """A group's status for display; claims in no group are "ungrouped"."""
    return group.status if group is not None and group.status in GROUP_STATUSES else "ungrouped"


def review_class(status: str) -> str:
    return status if status in REVIEW_STATUSES else "other"


def speaker_name(claim: Claim) -> str:
    return " ".join(claim.said_by.split()) if claim.said_by and claim.said_by.strip() else ""


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


def _crosses(a: Span, b: Span) -> bool:
    """Overlapping without one containing the other: cannot nest as elements."""
    return a.overlaps(b) and not (a.contains(b) or b.contains(a))


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


def claim_tooltip(claim: Claim, group: FigureGroup | None) -> str:
    """The details of a claim as lines of text, for a tooltip."""
    lines = [
        f"value: {number_text(claim.value) or '—'}",
        f"interval: {interval_text(claim)}",
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
    # Markup assembled with escape() and f-strings: Markup.format is many
    # times slower, and a large story has tens of thousands of marks.
    status = group_status(group)
    classes = f"claim status-{status}" + (" latent" if claim.latent else "")
    cid = escape(claim.id)
    open_tag = Markup(
        f'<mark class="{escape(classes)}" id="{cid}" tabindex="0" data-claim="{cid}" data-status="{status}"'
        f' data-review="{escape(review_class(claim.review.status))}" data-group="{escape(group.id if group else "")}"'
        f' title="{escape(claim_tooltip(claim, group))}">'
    )
    order = (1, span.start, -span.end, claim.id)
    return _Layer(order, span.start, span.end, open_tag, Markup("</mark>"))


def _gutter(marks: Sequence[Claim], groups: Mapping[str, FigureGroup]) -> Markup:
    """Margin notes for one paragraph: each highlighted figure and its speaker."""
    if not marks:
        return Markup('<ul class="gutter" aria-hidden="true"></ul>')
    items = []
    for claim in marks:
        status = group_status(groups.get(claim.id))
        speaker = speaker_name(claim)
        who = (
            f'<span class="who">{escape(speaker)}</span>'
            if speaker
            else '<span class="who unattributed">no speaker named</span>'
        )
        cid = escape(claim.id)
        items.append(
            f'<li class="status-{status}"><a href="#{cid}" data-claim="{cid}">'
            f'<span class="symbol" aria-hidden="true">{STATUS_SYMBOLS[status]}</span> '
            f"{escape(_normalise(claim.text))}</a> {who}</li>"
        )
    return Markup(f'<ul class="gutter" aria-label="Figures and speakers in this paragraph">{"".join(items)}</ul>')


def _paragraph_layers(
    text: str, marks: Sequence[Claim], groups: Mapping[str, FigureGroup]
) -> list[_Layer]:
    """Paragraphs split on blank lines, except where a highlight spans the gap.

    Each paragraph carries, beside it, the figures it holds and who said them.
    """
    bounds: list[tuple[int, int]] = []
    start = 0
    for gap in _PARAGRAPH_BREAK.finditer(text):
        if any(c.span.start < gap.end() and gap.start() < c.span.end for c in marks if c.span):
            continue
        bounds.append((start, gap.start()))
        start = gap.end()
    bounds.append((start, len(text)))
    layers = []
    for begin, end in bounds:
        if not text[begin:end].strip():
            continue
        inside = [c for c in marks if c.span and begin <= c.span.start and c.span.end <= end]
        close = Markup("</p>") + _gutter(inside, groups) + Markup("</div>")
        layers.append(_Layer((0, begin), begin, end, Markup('<div class="para"><p>'), close))
    return layers


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

    >>> html, skipped = highlight("It killed 112.", [])
    >>> str(html)
    '<div class="para"><p>It killed 112.</p><ul class="gutter" aria-hidden="true"></ul></div>'
    """
    groups = groups or {}
    marks, skipped = _select_marks(text, claims)
    layers = (
        _paragraph_layers(text, marks, groups)
        + [_mark_layer(c, c.span, groups.get(c.id)) for c in marks if c.span]
        + _debris_layers(text, debris)
        + _speaker_layers(text, claims)
    )
    cuts = sorted({0, len(text)} | {x for layer in layers for x in (layer.start, layer.end)})
    pieces: list[Markup] = []
    stack: list[_Layer] = []
    # Layers sorted by start let each cut look only at the layers begun so far.
    by_start = sorted(layers, key=lambda layer: layer.start)
    begun: list[_Layer] = []
    next_layer = 0
    for start, end in zip(cuts, cuts[1:]):
        while next_layer < len(by_start) and by_start[next_layer].start <= start:
            begun.append(by_start[next_layer])
            next_layer += 1
        begun = [layer for layer in begun if layer.end > start]
        wanted = sorted((layer for layer in begun if end <= layer.end), key=lambda layer: layer.order)
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
