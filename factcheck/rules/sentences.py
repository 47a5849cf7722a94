"""Sentence boundaries inside a document's body spans."""

from __future__ import annotations

from typing import Sequence

from factcheck.compiled import cached_regex
from factcheck.model import Span

# A stop, then closing quotes or brackets, then space, then what can open a
# sentence: a capital, a digit or an opening quote.
_BOUNDARY = cached_regex(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])")
_LAST_WORD = cached_regex(r"(\S+)\Z")
_INITIAL = cached_regex(r"[A-Z]\.")  # "J." in "J. Smith" ends no sentence
# Blank lines, or a line break after a line with no stop (a headline, a
# list item). Gaps are all white space. Written as
# "\n[ \t]*\n\s*|(?<=[^.!?,;:\s\"'”])[ \t]*\n(?=\s*\S)" would be, but opening
# with the set of first characters, which the regex engine scans for.
_GAP = cached_regex(
    r"[ \t\n](?:(?<=\n)[ \t]*\n\s*|(?<=[^.!?,;:\s\"'\u201d][ \t\n])(?:(?<=\n)|(?<=[ \t])[ \t]*\n)(?=\s*\S))"
)


def split_sentences(text: str, body: Sequence[Span], abbreviations: frozenset[str]) -> list[Span]:
    """Split each body span into sentence spans, trimmed of surrounding space.

    >>> text = 'Dr. Petrov said 300 died. The agency said 112.'
    >>> [s.slice(text) for s in split_sentences(text, [Span(0, len(text))], frozenset({'Dr.'}))]
    ['Dr. Petrov said 300 died.', 'The agency said 112.']
    """
    out: list[Span] = []
    for region in body:
        for paragraph in _paragraphs(text, region):
            start = paragraph.start
            for stop in _BOUNDARY.finditer(text, paragraph.start, paragraph.end):
                word = _LAST_WORD.search(text, start, stop.start() + 1)
                token = word.group(1) if word else ""
                if token in abbreviations or _INITIAL.fullmatch(token):
                    continue
                _append(out, text, start, stop.end())
                start = stop.end()
            _append(out, text, start, paragraph.end)
    return out


def _paragraphs(text: str, region: Span) -> list[Span]:
    """Blank lines always end a sentence, and so does a line with no stop
    followed by a new line (a headline, a list item)."""
    if text.find("\n", region.start, region.end) < 0:
        return [region]  # every gap holds a line break: a one-line region has none
    spans = []
    start = region.start
    # From the white space just before the region, where a gap that reaches
    # into it begins, not from the start of the text: a page's body is many
    # regions, and reading the text up to each one was quadratic.
    scan_from = region.start
    while scan_from > 0 and text[scan_from - 1].isspace():
        scan_from -= 1
    for gap in _GAP.finditer(text, scan_from, region.end):
        if gap.start() < region.start:
            continue
        spans.append(Span(start, gap.start()))
        start = gap.end()
    spans.append(Span(start, region.end))
    return spans


def _append(out: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(start, end))
