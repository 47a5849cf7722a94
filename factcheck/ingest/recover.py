"""Put back what the extractor dropped from inside an article.

trafilatura finds an article's paragraphs well but loses some of what sits
between them: subheadings (most of all when each paragraph of the article
is wrapped in a container of its own), a paragraph-like ``<div>``, the
text that opens a block before its first child element, and lists. Here
the page is read as runs of text, one per block of the layout, in reading
order; runs that trafilatura kept (found in its text, in order) are
anchors, and a run missing between two anchors is put back when it sits in
the article's own structure and reads as article text.

What is put back is only ever page text; whatever of it is page furniture
("Advertisement") is marked as debris later, as any other line is.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence

from lxml import etree

from factcheck.model import datatype

# Elements whose text a reader never sees.
INVISIBLE = ("script", "style", "noscript", "template", "head", "title", "svg", "iframe", "object")
# Elements that start a new line in a browser.
BLOCK_TAGS = (
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
)  # fmt: skip
# Further elements that hold a run of their own: captions, controls.
_OWN_RUN = ("caption", "center", "details", "summary", "legend", "button", "label", "option", "select", "textarea")
# Text inside these is never article text: page furniture, forms, and the
# captions and credits of pictures.
_FURNITURE = frozenset((
    "nav", "aside", "footer", "header", "form", "figure", "figcaption",
    "button", "label", "select", "option", "textarea", "fieldset", "caption",
))  # fmt: skip
_UNSEEN = frozenset(INVISIBLE)
_BREAKS = frozenset(BLOCK_TAGS + _OWN_RUN)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# A list or a table is placed as a whole: its items are weighed where the
# list stands among the paragraphs.
_CONTAINED = ("li", "ul", "ol", "dl", "dd", "dt", "table", "thead", "tbody", "tfoot", "tr", "td", "th")
_ITEMS = ("li", "dd", "dt", "td", "th")

# A run of at least this many words that trafilatura kept marks where the
# article is; a shorter one ("Related") could match by chance.
ANCHOR_WORDS = 5
# At most this many runs are put back between two anchors: more, and the
# gap is a box of its own (a sidebar, a gallery), not part of the article.
MAX_GAP = 4
# A run put back stands at most this many levels below the element it
# shares with a kept neighbour: a paragraph's sibling is one level below,
# a heading in a sibling wrapper two or three.
MAX_LEVELS = 3
# A run whose text is at least this share link text is a link to elsewhere.
LINK_SHARE = 0.5
# A paragraph-like block is put back when it reads as a sentence (or a
# question) of at least this many words.
SENTENCE_WORDS = 3
_SENTENCE_END = re.compile(r"[.!?:][\"'”’)\]]*$")
_WORD = re.compile(r"\w+")


@datatype(frozen=True)
class Run:
    """A run of text a browser shows as one block, with where it stands."""

    text: str  # whitespace collapsed
    folded: str  # the text as ``fold`` gives it
    owner: etree._Element  # the block element whose text it is
    link_chars: int  # how much of it is link text
    furniture: bool  # inside navigation, a form, a figure...


def fold(text: str) -> str:
    """Lowercase words joined by single spaces: text compared as a reader
    would, whatever the punctuation and the markup split.

    >>> fold("Who pays the cost of a tariff?")
    'who pays the cost of a tariff'
    """
    return " ".join(_WORD.findall(text.casefold()))


def read_runs(root: etree._Element) -> list[Run]:
    """The runs of visible text of a page, in reading order.

    >>> from lxml import html
    >>> root = html.fromstring("<div><h2>Talks</h2><p>Lavrov <a href='/x'>met Kerry</a>.<br>Later.</p></div>")
    >>> [(run.text, run.owner.tag, run.link_chars) for run in read_runs(root)]
    [('Talks', 'h2', 0), ('Lavrov met Kerry.', 'p', 9), ('Later.', 'p', 0)]
    """
    runs: list[Run] = []
    parts: list[str] = []
    linked = 0
    owners: list[etree._Element] = [root]
    links = furniture = 0

    def flush() -> None:
        nonlocal linked
        text = " ".join("".join(parts).split())
        if text:
            runs.append(Run(text, fold(text), owners[-1], linked, furniture > 0))
        parts.clear()
        linked = 0

    def add(text: str | None, in_link: bool) -> None:
        nonlocal linked
        if text:
            parts.append(text)
            if in_link:
                linked += len(text.strip())

    skipped = False  # the next "end" closes a skipped element
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, element in walker:
        if event == "start":
            tag = element.tag
            if tag in _UNSEEN or element.get("hidden") is not None:
                walker.skip_subtree()
                skipped = True
                continue
            if tag in _BREAKS:
                flush()
                owners.append(element)
            # A named anchor (<a id=...>, no href) is a target, not a link.
            links += tag == "a" and element.get("href") is not None
            furniture += tag in _FURNITURE
            add(element.text, links > 0)
        elif event == "end":
            if skipped:
                skipped = False
            else:
                tag = element.tag
                links -= tag == "a" and element.get("href") is not None
                furniture -= tag in _FURNITURE
                if tag in _BREAKS:
                    flush()
                    owners.pop()
            add(element.tail, links > 0)
        else:  # a comment or a processing instruction
            add(element.tail, links > 0)
    flush()
    return runs


def recover(blocks: Sequence[str], runs: Sequence[Run]) -> list[str]:
    """``blocks`` (trafilatura's text blocks, in order) with the runs it
    dropped from inside the article put back in place.

    >>> from lxml import html
    >>> root = html.fromstring(
    ...     "<div><p>The talks in Geneva went on for nine hours on Friday.</p>"
    ...     "<div class=sub>Who pays for the aid?</div>"
    ...     "<p>Donors pledged more than 290,000 tonnes of food and medicine.</p></div>")
    >>> recover(["The talks in Geneva went on for nine hours on Friday.",
    ...          "Donors pledged more than 290,000 tonnes of food and medicine."], read_runs(root))[1]
    'Who pays for the aid?'
    """
    folded = [fold(block) for block in blocks]
    joined = "\n".join(folded)
    starts = []
    position = 0
    for text in folded:
        starts.append(position)
        position += len(text) + 1
    anchors = list(_anchors(runs, joined, starts))
    # The article starts at its first kept paragraph: between a headline and
    # it stand the byline and the date, which are not put back.
    while len(anchors) > 1 and runs[anchors[0][0]].owner.tag in _HEADINGS:
        anchors.pop(0)
    if not anchors:
        return list(blocks)
    inserts: dict[int, list[str]] = {}
    # Before the first anchor only the rest of its own block is looked for:
    # the text that opens a paragraph, not the byline above it.
    first_run, first_block, first_at = anchors[0]
    lead = [
        run.text
        for run in _missing(runs[max(0, first_run - MAX_GAP) : first_run], joined, 0, first_at)
        if run.owner is runs[first_run].owner and _reads_as_text(run)
    ]
    if lead:
        inserts.setdefault(first_block - 1, []).extend(lead)
    for (before, block_before, at_before), (after, block_after, at_after) in zip(anchors, anchors[1:]):
        if after - before < 2 or block_before == block_after:
            continue
        gap = _missing(runs[before + 1 : after], joined, at_before, at_after)
        if not gap or len(gap) > MAX_GAP:
            continue
        neighbours = (runs[before], runs[after])
        kept = [run.text for run in gap if _belongs(run, neighbours) and _reads_as_text(run)]
        if kept:
            inserts.setdefault(block_before, []).extend(kept)
    if not inserts:
        return list(blocks)
    result = list(inserts.get(-1, []))
    for index, block in enumerate(blocks):
        result.append(block)
        result.extend(inserts.get(index, []))
    return result


def _anchors(runs: Sequence[Run], joined: str, starts: list[int]) -> Iterator[tuple[int, int, int]]:
    """(run index, block index, position in ``joined``) of each run of
    ``ANCHOR_WORDS`` or more that is found in the blocks, in order."""
    cursor = 0
    for index, run in enumerate(runs):
        text = run.folded
        if text.count(" ") + 1 < ANCHOR_WORDS:
            continue
        found = joined.find(text, cursor)
        if found < 0:
            continue
        cursor = found + len(text)
        yield index, bisect_right(starts, found) - 1, found


def _missing(runs: Sequence[Run], joined: str, start: int, end: int) -> list[Run]:
    """The runs with words that are not in ``joined[start:end]``."""
    return [run for run in runs if run.folded and joined.find(run.folded, start, end) < 0]


def _belongs(run: Run, neighbours: tuple[Run, Run]) -> bool:
    """Whether a run stands in the article's structure: in the same block
    as a kept neighbour, or level with one under a near common ancestor
    (a sibling, or the like part of a sibling container, as when each
    paragraph of an article has a wrapper of its own). A list or a table
    counts as a whole."""
    unit = _unit(run.owner)
    for neighbour in neighbours:
        other = _unit(neighbour.owner)
        if unit is other:
            return True
        mine, theirs = _lineage(unit), _lineage(other)
        depth = 0
        while depth < min(len(mine), len(theirs)) and mine[-1 - depth] is theirs[-1 - depth]:
            depth += 1
        # Level with the neighbour, at most MAX_LEVELS below their common ancestor.
        if len(mine) == len(theirs) and 0 < len(mine) - depth <= MAX_LEVELS:
            return True
    return False


def _lineage(element: etree._Element) -> list[etree._Element]:
    """The element and its ancestors, nearest first."""
    return [element, *element.iterancestors()]


def _unit(element: etree._Element) -> etree._Element:
    """The element itself, or the outermost list or table it is part of."""
    unit = element
    while unit.tag in _CONTAINED and (parent := unit.getparent()) is not None and parent.tag in _CONTAINED:
        unit = parent
    return unit


def _reads_as_text(run: Run) -> bool:
    """Whether a run reads as article text: not furniture nor mostly links,
    and a heading, a list or table item, or a sentence."""
    if run.furniture or run.link_chars >= LINK_SHARE * len(run.text):
        return False
    tag = run.owner.tag
    if tag in _HEADINGS or tag in _ITEMS:
        return True
    return len(run.text.split()) >= SENTENCE_WORDS and _SENTENCE_END.search(run.text) is not None
