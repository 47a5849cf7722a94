"""The article text as HTML: every figure highlighted, speakers beside it.

The markup is assembled from escaped pieces over the original text: each
element to draw (a paragraph, a highlighted claim, a debris stretch, a
speaker mention) is a *layer* with a span, and the text is cut at every
layer boundary, so elements always nest and nothing is ever replaced inside
markup. Escaping happens once, on each piece of text, with ``escape_text``:
the pieces are plain strings and only the finished article is ``Markup``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from markupsafe import Markup

from factcheck.model import GROUP_STATUSES, REVIEW_STATUSES, Claim, Debris, FigureGroup, Span, power_of_ten_text

STATUS_SYMBOLS = {"conflict": "✕", "update": "↻", "shared": "✓", "single": "○", "ungrouped": "·"}

# A blank line (possibly holding spaces) separates paragraphs.
_PARAGRAPH_BREAK = re.compile(r"\r?\n[^\S\n]*\n\s*")


def escape_text(text: str) -> str:
    """``text`` made safe inside HTML text or a quoted attribute.

    The same entities as ``markupsafe.escape``, but a plain ``str``: a large
    story escapes a million short strings, and making a ``Markup`` object of
    each costs more than the escaping. Only for plain strings, never for
    markup, which it would escape twice.

    >>> escape_text('<b title="x">Tom & Jerry</b>')
    '&lt;b title=&#34;x&#34;&gt;Tom &amp; Jerry&lt;/b&gt;'
    """
    # Most text holds none of the five characters; looking is cheaper than replacing.
    if "&" in text or "<" in text or ">" in text or "'" in text or '"' in text:
        text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
        return text.replace("'", "&#39;").replace('"', "&#34;")
    return text


def number_text(value: Any) -> str:
    """A figure's value as a reader writes it: ``290000.0`` -> ``"290,000"``,
    ``7.2e-05`` -> ``"0.000072"``, ``1234.5`` -> ``"1,234.5"``, ``2.5e-07`` ->
    ``"2.5 × 10⁻⁷"``."""
    if type(value) is int and -1e15 < value < 1e15:
        return f"{value:,}"  # the common case, first: a report writes tens of thousands
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    # The shortest digits that read back as the value, never in e-notation,
    # unless it would take more than a line of zeros.
    return power_of_ten_text(value) or f"{Decimal(repr(float(value))):,f}"


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


class _Layer(NamedTuple):
    """One element to wrap around text: ``order`` ranks outer before inner.

    A tuple rather than a frozen dataclass: an article has a layer per
    paragraph, figure and speaker, and a large story hundreds of thousands.
    """

    order: tuple[Any, ...]
    start: int
    end: int
    open_tag: str
    close_tag: str


def _by_order(layer: _Layer) -> tuple[Any, ...]:
    return layer.order


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
    # The chosen spans that reach past the current start, outermost first.
    # Taken in order of start, the chosen spans nest, so only the innermost
    # open one can cross the next: a scan of all of them would make a
    # document of thousands of figures slow.
    open_spans: list[Span] = []

    def order(claim: Claim) -> tuple[int, int, str]:
        span = claim.span
        return (span.start, -span.end, claim.id) if span is not None else (0, 0, claim.id)

    for claim in sorted((c for c in claims if not c.missing), key=order):
        span = claim.span
        if span is None:
            skipped[claim.id] = "no position is recorded for this claim"
            continue
        if span.end > len(text) or not span.slice(text).strip():
            skipped[claim.id] = "its recorded position lies outside the article text"
            continue
        if _normalise(span.slice(text)) != _normalise(claim.text):
            skipped[claim.id] = "the text at its recorded position differs from the claim"
            continue
        while open_spans and open_spans[-1].end <= span.start:
            open_spans.pop()
        if open_spans and _crosses(span, open_spans[-1]):
            skipped[claim.id] = "it overlaps another highlighted claim"
            continue
        chosen.append(claim)
        open_spans.append(span)
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
    status = group_status(group)
    classes = f"claim status-{status}" + (" latent" if claim.latent else "")
    cid = escape_text(claim.id)
    open_tag = (
        f'<mark class="{escape_text(classes)}" id="{cid}" tabindex="0" data-claim="{cid}" data-status="{status}"'
        f' data-review="{escape_text(review_class(claim.review.status))}"'
        f' data-group="{escape_text(group.id if group else "")}" title="{escape_text(claim_tooltip(claim, group))}">'
    )
    order = (1, span.start, -span.end, claim.id)
    return _Layer(order, span.start, span.end, open_tag, "</mark>")


def _gutter(marks: Sequence[Claim], groups: Mapping[str, FigureGroup]) -> str:
    """Margin notes for one paragraph: each highlighted figure and its speaker."""
    if not marks:
        return '<ul class="gutter" aria-hidden="true"></ul>'
    items = []
    for claim in marks:
        status = group_status(groups.get(claim.id))
        speaker = speaker_name(claim)
        who = (
            f'<span class="who">{escape_text(speaker)}</span>'
            if speaker
            else '<span class="who unattributed">no speaker named</span>'
        )
        cid = escape_text(claim.id)
        items.append(
            f'<li class="status-{status}"><a href="#{cid}" data-claim="{cid}">'
            f'<span class="symbol" aria-hidden="true">{STATUS_SYMBOLS[status]}</span> '
            f"{escape_text(_normalise(claim.text))}</a> {who}</li>"
        )
    return f'<ul class="gutter" aria-label="Figures and speakers in this paragraph">{"".join(items)}</ul>'


def _paragraph_layers(
    text: str, marks: Sequence[Claim], groups: Mapping[str, FigureGroup]
) -> list[_Layer]:
    """Paragraphs split on blank lines, except where a highlight spans the gap.

    Each paragraph carries, beside it, the figures it holds and who said them.
    ``marks`` are in order of their start, as ``_select_marks`` gives them.
    """
    bounds: list[tuple[int, int]] = []
    start = 0
    # The marks begun before the gap ends, and the furthest any of them reaches.
    begun, reach = 0, -1
    for gap in _PARAGRAPH_BREAK.finditer(text):
        while begun < len(marks) and marks[begun].span.start < gap.end():
            reach = max(reach, marks[begun].span.end)
            begun += 1
        if reach > gap.start():
            continue
        bounds.append((start, gap.start()))
        start = gap.end()
    bounds.append((start, len(text)))
    # Every mark lies inside one paragraph: a gap that a mark overlaps is not
    # a break, and no mark is blank.
    inside: dict[int, list[Claim]] = {}
    starts = [begin for begin, _ in bounds]
    for claim in marks:
        inside.setdefault(bisect_right(starts, claim.span.start) - 1, []).append(claim)
    layers = []
    for index, (begin, end) in enumerate(bounds):
        if not text[begin:end].strip():
            continue
        close = "</p>" + _gutter(inside.get(index, ()), groups) + "</div>"
        layers.append(_Layer((0, begin), begin, end, '<div class="para"><p>', close))
    return layers


def _debris_layers(text: str, debris: Sequence[Debris]) -> list[_Layer]:
    layers = []
    for index, item in enumerate(sorted(debris, key=lambda d: (d.span, d.reason))):
        start, end = item.span.start, min(item.span.end, len(text))
        if start < end:
            reason = escape_text(item.reason)
            open_tag = f'<span class="debris" title="not article text: {reason}" data-reason="{reason}">'
            layers.append(_Layer((2, index), start, end, open_tag, "</span>"))
    return layers


def _speaker_layers(text: str, claims: Sequence[Claim]) -> list[_Layer]:
    mentions = {}
    for claim in sorted(claims, key=lambda c: c.id):
        span = claim.said_by_span
        if span is not None and span.end <= len(text) and len(span) and not claim.missing:
            mentions.setdefault(span, claim.said_by or span.slice(text))
    layers = []
    for span in sorted(mentions):
        open_tag = f'<span class="speaker" title="speaker: {escape_text(mentions[span])}">'
        order = (3, span.start, span.end)
        layers.append(_Layer(order, span.start, span.end, open_tag, "</span>"))
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
        + [_mark_layer(c, c.span, groups.get(c.id)) for c in marks if c.span is not None]
        + _debris_layers(text, debris)
        + _speaker_layers(text, claims)
    )
    starting: dict[int, list[_Layer]] = {}
    ends = set()
    for layer in sorted(layers, key=_by_order):
        starting.setdefault(layer.start, []).append(layer)
        ends.add(layer.end)
    cuts = sorted({0, len(text)} | starting.keys() | ends)
    pieces: list[str] = []
    stack: list[_Layer] = []  # the elements open in the output, outermost first
    active: list[_Layer] = []  # the layers over the current stretch, outermost first
    for start, end in zip(cuts, cuts[1:]):
        # Only where a layer begins or ends can the elements change.
        new = starting.get(start)
        if new is not None or start in ends:
            if start in ends:
                active = [layer for layer in active if layer.end != start]
            if new is not None:
                active = sorted(active + new, key=_by_order) if active else new
            # Outside every paragraph lies only blank-line whitespace.
            wanted = active if active and active[0].order[0] == 0 else []
            keep, most = 0, min(len(stack), len(wanted))
            while keep < most and stack[keep] is wanted[keep]:
                keep += 1
            pieces.extend([layer.close_tag for layer in reversed(stack[keep:])])
            pieces.extend([layer.open_tag for layer in wanted[keep:]])
            stack = wanted
        if stack:
            pieces.append(escape_text(text[start:end]))
    pieces.extend([layer.close_tag for layer in reversed(stack)])
    return Markup("".join(pieces)), skipped
