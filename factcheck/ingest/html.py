"""Read a web page: its main text, its metadata, and what else it shows.

A streamed page is first put back in reading order (see ``streamed``).
The main text comes from trafilatura, run twice: once tuned for precision
and once for recall. The precise reading wins unless it lost most of what
the full reading found (it then missed the article, not just its edges).
What trafilatura returns is a tree of paragraphs, headings, lists, tables
and quotes; it is flattened here into plain text, one block per paragraph
with a blank line between blocks, so that sentence splitting and the debris
rules work on it as on any text file. Lists whose items are links to other
stories (a "related" or "most read" box) are left out on the way. What
trafilatura dropped from between the article's paragraphs (subheadings,
list items, a paragraph's opening words) is then put back (see
``recover``), and a headline repeated at the start is taken out, with any
kicker above it.

Besides the main text, a ``Page`` keeps what the dead-page checks need:
the ``<title>``, the headings, and every visible line of the page, since a
"Page not found" notice is often exactly what the extractor throws away.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import trafilatura
from lxml import etree, html as lxml_html

from factcheck.ingest.recover import BLOCK_TAGS, INVISIBLE, read_runs, recover
from factcheck.ingest.streamed import complete_streamed, has_streamed_parts
from factcheck.model import datatype

# The precise reading is kept when it holds at least this share of the
# words of the full reading: below it, precision cut into the article.
PRECISE_SHARE = 0.5
# A headline repeated in the main text is looked for among this many
# blocks at its start, after lines of at most KICKER_WORDS words.
TITLE_WITHIN = 4
KICKER_WORDS = 12
# A list is a box of links to other stories when at least this share of
# its items open with a link.
LINK_ITEM_SHARE = 0.5
_HEADINGS = ("h1", "h2", "h3")
# The elements of trafilatura's tree that are blocks of their own.
_BLOCK_CHILDREN = ("p", "head", "list", "table", "quote", "div", "code")
_SPACE = re.compile(r"\s+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@datatype(frozen=True)
class PageMeta:
    """What a page says about itself (meta tags, JSON-LD, bylines).

    >>> PageMeta(title="US-Russia deal on Syria still out of reach", outlet="AFP").outlet
    'AFP'
    """

    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date
    outlet: str | None = None  # the site's name
    canonical_url: str | None = None
    page_type: str | None = None  # og:type or the JSON-LD type, lowercased ("article", "website")


@datatype(frozen=True)
class Page:
    """A parsed web page.

    ``text`` is the main text, blocks separated by blank lines;
    ``title_tag`` the ``<title>``; ``headings`` the h1 to h3 texts;
    ``lines`` every visible line of the whole page, trimmed, in order;
    ``links`` how many of those lines are wholly the text of a link;
    ``linked_headings`` how many headings are links to other pages, as the
    story headlines of a section front are.
    """

    text: str
    meta: PageMeta
    title_tag: str | None = None
    headings: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()
    links: int = 0
    linked_headings: int = 0


def parse_page(markup: str) -> Page:
    """Read the main text, metadata and visible lines of an HTML page.

    >>> page = parse_page(
    ...     "<html><head><title>Talks stall | AFP</title></head><body><nav><a href=/>Home</a></nav>"
    ...     "<article><h1>Talks stall</h1><p>The war has killed more than 290,000 people, "
    ...     "monitors say. Talks in Geneva went on for hours without a deal.</p></article></body></html>"
    ... )
    >>> page.text
    'The war has killed more than 290,000 people, monitors say. Talks in Geneva went on for hours without a deal.'
    >>> page.title_tag, page.lines[0]
    ('Talks stall | AFP', 'Home')
    """
    try:
        # Parsed apart from trafilatura's tree, which it may refuse (a page
        # that is only a fragment) and which it prunes as it extracts.
        root = lxml_html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return Page(text="", meta=PageMeta())
    if has_streamed_parts(markup) and complete_streamed(root):
        # trafilatura reads the page as a browser shows it, parts in place.
        markup = lxml_html.tostring(root, encoding="unicode")
    anchors = _anchor_texts(root)
    headings = tuple(t for t in (_clean(h.text_content()) for h in root.iter(*_HEADINGS)) if t)
    title_tag = _clean(root.findtext(".//title")) or None
    runs = read_runs(root)
    lines, links = _visible_lines(root)
    blocks: list[str] = []
    meta = PageMeta()
    tree = trafilatura.load_html(markup)
    if tree is not None:
        # Links are not asked of trafilatura: with them it loses text after
        # embeds. Nor is the URL: it would stand in for a missing canonical link.
        full = trafilatura.bare_extraction(tree, favor_recall=True, include_comments=False, with_metadata=True)
        precise = trafilatura.bare_extraction(tree, favor_precision=True, include_comments=False)
        full_blocks = _blocks(full.body, anchors) if full is not None else []
        precise_blocks = _blocks(precise.body, anchors) if precise is not None else []
        blocks = recover(_combine(precise_blocks, full_blocks), runs)
        meta = _meta(full) if full is not None else PageMeta()
    return Page(
        text="\n\n".join(_drop_title(blocks, meta.title)),
        meta=meta,
        title_tag=title_tag,
        headings=headings,
        linked_headings=sum(1 for heading in headings if _fold(heading) in anchors),
        lines=tuple(lines),
        links=links,
    )


def _combine(precise: list[str], full: list[str]) -> list[str]:
    """The full reading, trimmed to where the precise reading starts and ends.

    Precision mostly cuts page furniture before and after the article, where
    it is right, but also drops lists and embeds inside it, where it is not.
    When the precise reading lost most of the text, it missed the article
    and the full reading is taken whole.
    """
    if _words(precise) < PRECISE_SHARE * _words(full):
        return full
    kept = {_fold(block) for block in precise}
    inside = [index for index, block in enumerate(full) if _fold(block) in kept]
    if not inside:
        return precise
    return full[inside[0] : inside[-1] + 1]


def _words(blocks: list[str]) -> int:
    return sum(len(block.split()) for block in blocks)


def _clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def _anchor_texts(root: lxml_html.HtmlElement) -> frozenset[str]:
    """The folded text of every link of two words or more on the page."""
    texts = (_fold(a.text_content()) for a in root.iter("a"))
    return frozenset(text for text in texts if " " in text)


def _blocks(body: etree._Element, anchors: frozenset[str]) -> list[str]:
    """The text blocks of trafilatura's tree, in order, each on one line
    (a line break inside a paragraph stays one), without blocks that are
    only the text of a link to elsewhere."""
    blocks: list[str] = []
    for element in body:
        blocks.extend(_element_blocks(element, anchors))
    return [b for b in blocks if b and _fold(b) not in anchors]


def _element_blocks(element: etree._Element, anchors: frozenset[str]) -> Iterator[str]:
    tag = element.tag
    if tag == "list":
        items = [item for item in element if item.tag == "item"]
        if items and sum(_opens_with_link(_inline_text(item), anchors) for item in items) >= LINK_ITEM_SHARE * len(items):
            return
        for item in items:
            yield from _item_blocks(item, anchors)
    elif tag == "table":
        for row in element.iter("row"):
            cells = [_inline_text(cell) for cell in row if cell.tag == "cell"]
            line = " | ".join(c for c in cells if c)
            if line:
                yield line
    elif tag == "quote" and len(element) and all(child.tag in ("p", "list", "head") for child in element):
        for child in element:
            yield from _element_blocks(child, anchors)
    elif tag in ("graphic", "lb"):
        return
    elif tag == "div" and any(child.tag in _BLOCK_CHILDREN for child in element):
        yield from _container_blocks(element, anchors)
    else:
        yield _inline_text(element)


def _container_blocks(element: etree._Element, anchors: frozenset[str]) -> Iterator[str]:
    """The blocks of a container trafilatura kept whole (a ``<div>`` of
    paragraphs, headings and lists): each child block on its own, and the
    loose text between them as blocks too."""
    loose = [element.text or ""]
    for child in element:
        if child.tag in _BLOCK_CHILDREN:
            yield _joined(loose)
            loose = []
            yield from _element_blocks(child, anchors)
        elif child.tag == "lb":
            loose.append("\n")
        else:
            loose.extend(_pieces(child))
        loose.append(child.tail or "")
    yield _joined(loose)


def _item_blocks(item: etree._Element, anchors: frozenset[str]) -> Iterator[str]:
    """A list item, and the items of any list nested in it, one block each."""
    nested = [child for child in item if child.tag == "list"]
    for child in nested:
        item.remove(child)
    yield _inline_text(item)
    for child in nested:
        yield from _element_blocks(child, anchors)


def _inline_text(element: etree._Element) -> str:
    """The text of an element on one line; ``<lb/>`` becomes a line break."""
    return _joined(_pieces(element))


def _joined(pieces: Iterable[str]) -> str:
    """Pieces of text joined, each line with its spaces collapsed, blank lines dropped."""
    lines = (_clean(line) for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def _pieces(element: etree._Element) -> Iterator[str]:
    if element.text:
        yield element.text
    for child in element:
        if child.tag == "lb":
            yield "\n"
        else:
            yield from _pieces(child)
            if child.tag in ("head", "p", "item", "list"):
                yield "\n"
        if child.tail:
            yield child.tail


def _opens_with_link(text: str, anchors: frozenset[str]) -> bool:
    """Whether the first line of a list item is the text of a link of at
    least two words, as in the teaser of another story (a linked headline,
    perhaps with a line of summary under it)."""
    return _fold(text.split("\n", 1)[0]) in anchors


def _drop_title(blocks: list[str], title: str | None) -> list[str]:
    """The blocks without a leading headline: the title is kept as metadata,
    and a headline repeated as a block would be scanned twice. What comes
    before the headline (a kicker, a promotion banner) goes with it, when
    it is a few short lines and no paragraph."""
    if not title:
        return blocks
    folded = _fold(title)
    for index, block in enumerate(blocks[:TITLE_WITHIN]):
        if _fold(block) == folded:
            return blocks[index + 1 :]
        if len(block.split()) > KICKER_WORDS:
            break
    return blocks


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _meta(document: object) -> PageMeta:
    date = getattr(document, "date", None)
    page_type = getattr(document, "pagetype", None)
    return PageMeta(
        title=_clean(getattr(document, "title", None)) or None,
        author=_clean(getattr(document, "author", None)) or None,
        published=date if date and _DATE.fullmatch(date) else None,
        outlet=_clean(getattr(document, "sitename", None)) or None,
        canonical_url=getattr(document, "url", None) or None,
        page_type=page_type.lower() if page_type else None,
    )


def _visible_lines(root: lxml_html.HtmlElement) -> tuple[list[str], int]:
    """Every line of text a browser would show, and how many lines are the
    whole text of a link. Marks up ``root`` with line breaks as it goes."""
    for element in list(root.iter(*INVISIBLE)):
        element.drop_tree()
    linked = {_clean(a.text_content()) for a in root.iter("a")}
    for element in root.iter(*BLOCK_TAGS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    lines = [_clean(line) for line in root.text_content().split("\n")]
    lines = [line for line in lines if line]
    return lines, sum(1 for line in lines if line in linked)
