"""A picture of the story's graph: documents, speakers and figures in columns.

Read left to right: which documents quote which speakers, and which figures
those speakers give. A figure an article states with no speaker named is
joined to the document directly, by a dotted line. Figures in conflict are
drawn as red diamonds marked ✕, and the lines of the claims that conflict
are red and dashed, so the disputes stand out at a glance.

The graph is built with networkx; each connected part of it (a sub-story)
gets its own band, and within a band the nodes of each column are ordered by
the barycentre of their neighbours, a few sweeps back and forth, which
removes most line crossings. networkx's own layout functions need numpy,
which factcheck does not depend on, and place columns no better: the
coordinates are computed here.

A large story is cut to a budget of nodes, conflicts first, then updates,
shared and single figures; the page says how much is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import networkx as nx

from factcheck.model import datatype

# Column x positions and sizes, in SVG user units (roughly pixels). The
# speakers column gives the left edge of its labelled pills.
_COLUMNS = (("Documents", 250.0), ("Speakers", 430.0), ("Figures", 860.0))
_WIDTH = 1190.0
# Column headings: their offset from the column's x, and their text-anchor.
_HEADS = ((7.0, "end"), (0.0, "start"), (-10.0, "start"))
_CHAR = 6.9  # the mean width of a character of the 13px label font
_ROW = 24.0
_BAND_GAP = 20.0
_TOP = 44.0
_LABEL = 36  # characters shown before a label is cut; the tooltip has it all
_SWEEPS = 4
_STATUS_RANK = {"conflict": 0, "update": 1, "shared": 2, "single": 3}


@datatype(frozen=True)
class Use:
    """One claim as the picture sees it: who published it, who said it, which figure."""

    document: str
    speaker: str | None  # a speaker key; None when the article names no speaker
    group: str
    text: str  # the figure as written
    conflicted: bool  # the claim is one of a pair that cannot both hold


@datatype(frozen=True)
class Item:
    """A document, speaker or figure as it may appear in the picture."""

    key: str
    label: str
    href: str
    status: str = ""  # a group status, or a document status


@datatype(frozen=True)
class Node:
    kind: str  # "document" | "speaker" | "figure"
    label: str
    title: str
    href: str
    status: str
    x: float
    y: float
    symbol: str = ""
    width: float = 0.0  # of a speaker's pill


@datatype(frozen=True)
class Edge:
    path: str
    kind: str  # "quotes" | "says" | "own"
    conflict: bool
    title: str


@datatype(frozen=True)
class Picture:
    width: float
    height: float
    columns: tuple[tuple[str, float, str], ...]  # heading, x, text-anchor
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    shown_figures: int
    total_figures: int
    shown_documents: int
    total_documents: int


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _LABEL else text[: _LABEL - 1].rstrip() + "…"


def _choose(
    uses: Sequence[Use], figures: Sequence[Item], documents: Sequence[Item], budget: int
) -> tuple[list[Item], list[Item]]:
    """The figures and documents to draw within ``budget`` nodes, most telling first."""
    by_group: dict[str, list[Use]] = {}
    for use in uses:
        by_group.setdefault(use.group, []).append(use)
    ranked = sorted(
        (f for f in figures if f.key in by_group),
        key=lambda f: (_STATUS_RANK.get(f.status, 9), -len(by_group[f.key]), f.key),
    )
    nodes: set[str] = set()
    chosen: list[Item] = []
    for figure in ranked:
        wanted = {"f:" + figure.key}
        for use in by_group[figure.key]:
            wanted.add("d:" + use.document)
            if use.speaker is not None:
                wanted.add("s:" + use.speaker)
        fresh = wanted - nodes
        if chosen and len(nodes) + len(fresh) > budget:
            continue
        nodes |= fresh
        chosen.append(figure)
    shown_documents = [d for d in documents if "d:" + d.key in nodes]
    for document in documents:
        if "d:" + document.key not in nodes and len(nodes) < budget:
            nodes.add("d:" + document.key)
            shown_documents.append(document)
    order = {d.key: i for i, d in enumerate(documents)}
    return chosen, sorted(shown_documents, key=lambda d: order[d.key])


def _order(graph: nx.Graph, columns: list[list[str]]) -> list[list[str]]:
    """Reorder each column by the mean position of its neighbours (barycentre)."""

    def positions() -> dict[str, float]:
        return {n: i - (len(col) - 1) / 2 for col in columns for i, n in enumerate(col)}

    for _ in range(_SWEEPS):
        for layer in (1, 2, 0, 1):
            where = positions()
            column = columns[layer]

            def centre(node: str, index: int) -> tuple[float, int]:
                around = [where[n] for n in graph.neighbors(node) if graph.nodes[n]["layer"] != layer]
                return (sum(around) / len(around) if around else where[node], index)

            keys = {node: centre(node, i) for i, node in enumerate(column)}
            columns[layer] = sorted(column, key=lambda n: keys[n])
    return columns


def _curve(x1: float, y1: float, x2: float, y2: float) -> str:
    middle = (x1 + x2) / 2
    return f"M{x1:.1f},{y1:.1f} C{middle:.1f},{y1:.1f} {middle:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"


def _texts(uses: Iterable[Use]) -> str:
    seen = list(dict.fromkeys(" ".join(u.text.split()) for u in uses))
    return ", ".join(seen[:4]) + (", …" if len(seen) > 4 else "")


def draw(
    uses: Sequence[Use],
    documents: Sequence[Item],
    speakers: Mapping[str, Item],
    figures: Sequence[Item],
    *,
    symbols: Mapping[str, str],
    budget: int = 160,
) -> Picture:
    """Lay out the picture of ``uses`` (one per grouped claim) in columns.

    ``documents`` are in report order; ``speakers`` maps a speaker key to
    its item; ``figures`` are the groups. Same input, same coordinates.
    """
    chosen, shown_documents = _choose(uses, figures, documents, budget)
    chosen_keys = {f.key for f in chosen}
    uses = [u for u in uses if u.group in chosen_keys]
    graph = nx.Graph()
    rank = {}
    for index, document in enumerate(shown_documents):
        graph.add_node("d:" + document.key, layer=0)
        rank["d:" + document.key] = (0, index, document.key)
    for index, figure in enumerate(chosen):
        graph.add_node("f:" + figure.key, layer=2)
        rank["f:" + figure.key] = (2, index, figure.key)
    edges: dict[tuple[str, str], list[Use]] = {}
    for use in uses:
        d, f = "d:" + use.document, "f:" + use.group
        if use.speaker is None:
            edges.setdefault((d, f), []).append(use)
            continue
        s = "s:" + use.speaker
        if s not in graph:
            graph.add_node(s, layer=1)
            rank[s] = (1, 0, speakers[use.speaker].label.casefold() + "\x00" + use.speaker)
        edges.setdefault((d, s), []).append(use)
        edges.setdefault((s, f), []).append(use)
    graph.add_edges_from(edges)

    conflicts = {"f:" + f.key for f in chosen if f.status == "conflict"}

    def band_key(part: set[str]) -> tuple[int, int, str]:
        # Bands holding a conflict come first, then the larger ones.
        return (0 if part & conflicts else 1, -len(part), min(part))

    parts = sorted((set(p) for p in nx.connected_components(graph)), key=band_key)
    place: dict[str, tuple[float, float]] = {}
    top = _TOP
    for part in parts:
        columns = [sorted((n for n in part if graph.nodes[n]["layer"] == layer), key=rank.__getitem__) for layer in range(3)]
        columns = _order(graph.subgraph(part), columns)
        rows = max(len(column) for column in columns)
        for layer, column in enumerate(columns):
            offset = (rows - len(column)) / 2
            for index, node in enumerate(column):
                place[node] = (_COLUMNS[layer][1], top + (offset + index + 0.5) * _ROW)
        top += rows * _ROW + _BAND_GAP

    items = {**{"d:" + d.key: d for d in shown_documents}, **{"f:" + f.key: f for f in chosen}}
    items.update({"s:" + key: item for key, item in speakers.items() if "s:" + key in graph})
    kinds = {0: "document", 1: "speaker", 2: "figure"}
    nodes = []
    # Where lines meet a node: either side of a document or figure mark,
    # the two ends of a speaker's pill.
    left: dict[str, float] = {}
    right: dict[str, float] = {}
    for name in sorted(place, key=lambda n: (place[n][0], place[n][1])):
        item = items[name]
        kind = kinds[graph.nodes[name]["layer"]]
        x, y = place[name]
        symbol = symbols.get(item.status, "") if kind == "figure" else ""
        label = item.label
        if kind == "figure":
            label = f"{item.label}: {_texts(u for u in uses if u.group == item.key)}"
        width = round(len(_cut(label)) * _CHAR + 18, 1) if kind == "speaker" else 0.0
        nodes.append(Node(kind, _cut(label), label, item.href, item.status, x, y, symbol, width))
        left[name], right[name] = (x, x + width) if kind == "speaker" else (x - 10, x + 9)

    lines = []
    for (a, b), carried in sorted(edges.items(), key=lambda e: (place[e[0][0]][1], place[e[0][1]][1], e[0])):
        y1, y2 = place[a][1], place[b][1]
        if b.startswith("s:"):
            kind = "quotes"
            title = f"{items[a].label} quotes {items[b].label}: {_texts(carried)}"
        elif a.startswith("s:"):
            kind = "says"
            title = f"{items[a].label}: {_texts(carried)}"
        else:
            kind = "own"
            title = f"{items[a].label}, no speaker named: {_texts(carried)}"
        # Only the lines into a figure carry the conflict; the quoting does not.
        conflict = kind != "quotes" and any(u.conflicted for u in carried)
        lines.append(Edge(_curve(right[a], y1, left[b], y2), kind, conflict, title))
    return Picture(
        width=_WIDTH,
        height=max(top, _TOP + _ROW),
        columns=tuple((label, x + shift, anchor) for (label, x), (shift, anchor) in zip(_COLUMNS, _HEADS)),
        nodes=tuple(nodes),
        edges=tuple(lines),
        shown_figures=len(chosen),
        total_figures=len(figures),
        shown_documents=len(shown_documents),
        total_documents=len(documents),
    )
