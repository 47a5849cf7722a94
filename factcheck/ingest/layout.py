"""Lay out an article's text: body paragraphs, debris, title, a closing
dead-page notice and the furniture after the article, without changing a
character.

Body spans are paragraphs: runs of adjacent lines with no blank line or
debris between them, trimmed of surrounding whitespace. A Markdown heading
is a paragraph of its own, ``#`` marker included (markup is harmless body
text); a title line stays in the body too, as headlines hold claims.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from factcheck.ingest.debris import DEAD_PAGE_HEADING, PAYWALL_NOTICE, TAIL_HEADING, DebrisRules
from factcheck.model import Debris, Span, datatype

_NEWLINE = re.compile(r"\r\n|\r|\n")
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_HEADING_TEXT = re.compile(r"#{1,6}[ \t]*(.*?)(?:[ \t]+#+)?[ \t]*")
_LETTER = re.compile(r"[^\W\d_]")
# A sentence ends at . ! or ?, perhaps followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)")
TITLE_MAX_WORDS = 15


@datatype(frozen=True)
class _Line:
    span: Span  # the line without its surrounding whitespace
    number: int  # counts blank lines too, so adjacent lines differ by 1


@datatype(frozen=True)
class _Paragraph:
    span: Span
    first: int  # line numbers
    last: int
    cut: bool  # begins after debris on its first line (a caption after a credit)


@datatype(frozen=True)
class Layout:
    """Where article text and debris lie in a document's text."""

    body: tuple[Span, ...]
    debris: tuple[Debris, ...]
    title: str | None = None
    dead_page: str | None = None  # the notice heading, when nothing but a notice is there



def lay_out(text: str, rules: DebrisRules, *, start: int = 0) -> Layout:
    """Split ``text[start:]`` into body paragraphs and debris, find the
    title, and cut off a closing dead-page notice or the page's closing
    furniture (from a tail heading such as "Related stories" on).

    >>> from factcheck.ingest import load_debris_rules
    >>> page = "Skip to main content\\n\\nUS-Russia deal on Syria still out of reach\\n"
    >>> layout = lay_out(page, load_debris_rules())
    >>> layout.title, [s.slice(page) for s in layout.body]
    ('US-Russia deal on Syria still out of reach', ['US-Russia deal on Syria still out of reach'])
    """
    lines = list(_lines(text, start))
    paragraphs, debris = _mark_debris(text, lines, rules)
    heading = _dead_page_heading(text, lines, rules)
    if heading is None:
        tail = _tail_start(text, lines, paragraphs, rules)
        if tail is not None:
            cut = Span(lines[tail].span.start, lines[-1].span.end)
            paragraphs = [p for p in paragraphs if p.span.end <= cut.start]
            debris = [d for d in debris if d.span.end <= cut.start]
            debris.append(Debris(cut, "page tail"))
        title, _ = _title(text, paragraphs)
        return Layout(tuple(p.span for p in paragraphs), tuple(debris), title)

    notice = Span(lines[heading].span.start, lines[-1].span.end)
    before = [p for p in paragraphs if p.span.end <= notice.start]
    title, title_paragraph = _title(text, before)
    debris = [d for d in debris if d.span.end <= notice.start]
    debris.append(Debris(notice, "dead-page notice"))
    prose = [p for p in before if p is not title_paragraph]
    if _is_article(text, prose, rules):
        return Layout(tuple(p.span for p in before), tuple(debris), title)
    return Layout((), tuple(debris), title, dead_page=lines[heading].span.slice(text))


def _lines(text: str, start: int) -> Iterator[_Line]:
    """The non-blank lines of ``text[start:]``, trimmed."""
    number, position = 0, start
    ends = [(m.start(), m.end()) for m in _NEWLINE.finditer(text, start)]
    for end, next_start in [*ends, (len(text), len(text))]:
        raw = text[position:end]
        if raw.strip():
            left = position + len(raw) - len(raw.lstrip())
            yield _Line(Span(left, left + len(raw.strip())), number)
        number, position = number + 1, next_start


def _mark_debris(
    text: str, lines: Sequence[_Line], rules: DebrisRules
) -> tuple[list[_Paragraph], list[Debris]]:
    """Apply the line rules, then join what is left into paragraphs."""
    paragraphs: list[_Paragraph] = []
    debris: list[Debris] = []
    for line in lines:
        content = line.span.slice(text)
        piece, cut = line.span, False
        hit = rules.match_line(content)
        if hit is not None:
            rule, length = hit
            rest = content[length:]
            if not rest.strip():
                debris.append(Debris(line.span, rule.kind))
                continue
            # A lead rule: the credit is debris, the caption after it is body.
            lead_end = line.span.start + length
            debris.append(Debris(Span(line.span.start, lead_end), rule.kind))
            piece = Span(lead_end + len(rest) - len(rest.lstrip()), line.span.end)
            cut = True
        previous = paragraphs[-1] if paragraphs else None
        if previous and _continues(text, previous, line.number, piece, cut):
            paragraphs[-1] = _Paragraph(
                Span(previous.span.start, piece.end), previous.first, line.number, previous.cut
            )
        else:
            paragraphs.append(_Paragraph(piece, line.number, line.number, cut))
    return paragraphs, debris


def _continues(text: str, paragraph: _Paragraph, number: int, piece: Span, cut: bool) -> bool:
    """Whether a line's kept text belongs to the paragraph just before it."""
    return (
        number == paragraph.last + 1
        and not cut
        and not _HEADING.match(text, paragraph.span.start)
        and not _HEADING.match(text, piece.start)
    )


def _dead_page_heading(text: str, lines: Sequence[_Line], rules: DebrisRules) -> int | None:
    """Index of the line that opens a closing dead-page notice, if any.

    A heading only opens a notice when every paragraph after it is matched
    by a rule or is short: an article that quotes "Page not found" and goes
    on at length is not a dead page.
    """
    for index, line in enumerate(lines):
        if rules.covers(line.span.slice(text), (DEAD_PAGE_HEADING,)) and _is_notice(
            text, lines[index + 1 :], rules
        ):
            return index
    return None


def _is_notice(text: str, lines: Sequence[_Line], rules: DebrisRules) -> bool:
    for group in _line_groups(lines):
        contents = [line.span.slice(text) for line in group]
        if all(rules.covers(content) for content in contents):
            continue
        if sum(len(content.split()) for content in contents) >= rules.notice_paragraph_words:
            return False
    return True


def _tail_start(
    text: str, lines: Sequence[_Line], paragraphs: Sequence[_Paragraph], rules: DebrisRules
) -> int | None:
    """Index of the tail heading (or paywall notice) that opens the
    furniture after the article, if any: it follows some article text, and
    only a little text (a pitch, a few teasers) comes after it. One followed
    by more stands inside the article, and only its line is debris.
    """
    words: list[int] = []
    for index, line in enumerate(lines):
        if not rules.covers(line.span.slice(text), (TAIL_HEADING, PAYWALL_NOTICE)):
            continue
        words = words or [len(p.span.slice(text).split()) for p in paragraphs]
        before = sum(n for p, n in zip(paragraphs, words) if p.span.end <= line.span.start)
        after = sum(n for p, n in zip(paragraphs, words) if p.span.start >= line.span.end)
        if before >= rules.article_words and after <= rules.tail_words:
            return index
    return None


def _line_groups(lines: Sequence[_Line]) -> Iterator[list[_Line]]:
    """Lines grouped into paragraphs at blank lines."""
    group: list[_Line] = []
    for line in lines:
        if group and line.number != group[-1].number + 1:
            yield group
            group = []
        group.append(line)
    if group:
        yield group


def _title(text: str, paragraphs: Sequence[_Paragraph]) -> tuple[str | None, _Paragraph | None]:
    """The title given by the first paragraph, and that paragraph.

    A Markdown heading is a title; so is a lone short line that does not end
    with a period (a headline, not a sentence).
    """
    if not paragraphs or paragraphs[0].cut or paragraphs[0].first != paragraphs[0].last:
        return None, None
    first = paragraphs[0]
    line = first.span.slice(text)
    if _HEADING.match(line):
        heading = _HEADING_TEXT.fullmatch(line)
        title = heading.group(1) if heading else ""
        return (title, first) if title else (None, None)
    words = len(line.split())
    if words <= TITLE_MAX_WORDS and _LETTER.search(line) and not line.endswith("."):
        return line, first
    return None, None


def _is_article(text: str, paragraphs: Sequence[_Paragraph], rules: DebrisRules) -> bool:
    """Whether the paragraphs hold enough prose to be an article."""
    prose = "\n".join(p.span.slice(text) for p in paragraphs)
    return (
        len(prose.split()) >= rules.article_words
        and len(_SENTENCE_END.findall(prose)) >= rules.article_sentences
    )
