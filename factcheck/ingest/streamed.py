"""Put a streamed page back together as a browser would show it.

A server that streams a page (React's server rendering, used by Next.js
and many news sites) sends it in the order its parts are ready, not in
reading order. Where a part was slow, the first pass holds a placeholder
(``<template id="B:0">`` and a "Loading..." fallback, or a bare
``<template id="P:7">``); the part itself comes later in a hidden
``<div hidden id="S:0">``, with a small script that moves it into place:
``$RC("B:0","S:0")`` completes a boundary, ``$RS("S:7","P:7")`` fills a
placeholder. A saved copy of such a page holds the article in pieces, the
middle of it hidden at the end. The moves are replayed here on the parsed
tree, in the order the scripts give them, without running any script.
"""

from __future__ import annotations

import re

from lxml import etree, html as lxml_html

# The calls React's inline scripts make: $RC (complete a boundary), $RR
# (the same, with style sheets to load first) and $RS (fill a placeholder).
_MOVE = re.compile(r"""\$R([CRS])\(\s*["']([^"']+)["']\s*,\s*["']([^"']+)["']""")
# The comments that open and close a boundary: <!--$-->, <!--$?-->,
# <!--$!--> and <!--/$-->.
_OPEN = ("$", "$?", "$!")
_CLOSE = "/$"


def has_streamed_parts(markup: str) -> bool:
    """Whether a page's source holds a move to replay (a cheap test first)."""
    return ("$RC(" in markup or "$RS(" in markup or "$RR(" in markup) and _MOVE.search(markup) is not None


def complete_streamed(root: lxml_html.HtmlElement) -> int:
    """Move the streamed parts of a parsed page into place; return how many
    moves were made. Parts whose placeholder is missing are left alone.

    >>> root = lxml_html.document_fromstring(
    ...     '<html><body><p>Talks began.</p><!--$?--><template id="B:0"></template><p>Loading...</p><!--/$-->'
    ...     '<div hidden id="S:0"><p>No deal was reached.</p></div>'
    ...     '<script>$RC("B:0","S:0")</script></body></html>'
    ... )
    >>> complete_streamed(root)
    1
    >>> [p.text for p in root.iter("p")]
    ['Talks began.', 'No deal was reached.']
    """
    ids = {element.get("id"): element for element in root.iter() if isinstance(element.tag, str) and element.get("id")}
    moves = 0
    for script in root.iter("script"):
        for kind, first, second in _MOVE.findall(script.text or ""):
            if kind == "S":
                segment, target = ids.get(first), ids.get(second)
                done = segment is not None and target is not None and _fill(target, segment)
            else:
                target, segment = ids.get(first), ids.get(second)
                done = segment is not None and target is not None and _complete(target, segment)
            moves += done
    return moves


def _fill(placeholder: etree._Element, segment: etree._Element) -> bool:
    """Put the segment's content where the placeholder is."""
    if placeholder.getparent() is None or segment.getparent() is None:
        return False
    _insert_content(placeholder, segment)
    _remove(placeholder, keep_tail=True)
    _remove(segment, keep_tail=True)
    return True


def _complete(boundary: etree._Element, segment: etree._Element) -> bool:
    """Replace a boundary's fallback (from its template up to the comment
    that closes the boundary) with the segment's content."""
    parent = boundary.getparent()
    if parent is None or segment.getparent() is None:
        return False
    fallback = []
    depth = 0
    sibling = boundary.getnext()
    while sibling is not None:
        if isinstance(sibling, etree._Comment):
            text = (sibling.text or "").strip()
            if text == _CLOSE:
                if depth == 0:
                    break
                depth -= 1
            elif text in _OPEN:
                depth += 1
        fallback.append(sibling)
        sibling = sibling.getnext()
    if sibling is None:
        return False
    _insert_content(boundary, segment)
    for node in fallback:
        _remove(node, keep_tail=False)
    _remove(boundary, keep_tail=False)
    _remove(segment, keep_tail=True)
    return True


def _insert_content(anchor: etree._Element, segment: etree._Element) -> None:
    """Insert the text and children of ``segment`` just before ``anchor``."""
    parent = anchor.getparent()
    previous = anchor.getprevious()
    if segment.text:
        if previous is not None:
            previous.tail = (previous.tail or "") + segment.text
        else:
            parent.text = (parent.text or "") + segment.text
    position = parent.index(anchor)
    for child in list(segment):
        parent.insert(position, child)
        position += 1


def _remove(node: etree._Element, *, keep_tail: bool) -> None:
    """Take ``node`` out of the tree, keeping its tail text if asked."""
    parent = node.getparent()
    if parent is None:
        return
    if keep_tail and node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)
