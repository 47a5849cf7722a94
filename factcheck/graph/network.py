"""The graph of sources, speakers, claims and groups, and its GraphML file."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.files import write_if_changed
from factcheck.graph.comparison import as_number
from factcheck.model import Claim, ClaimSet, FigureGroup, Source

if TYPE_CHECKING:
    import networkx as nx

logger = logging.getLogger(__name__)


def _attrs(**values: Any) -> dict[str, str | int | float | bool]:
    """Keep only GraphML-safe values; None means "absent"."""
    safe: dict[str, str | int | float | bool] = {}
    for name, value in values.items():
        if value is None:
            continue
        if not isinstance(value, str | int | float | bool):
            value = str(value)
        safe[name] = value
    return safe


def _figure_attrs(name: str, value: Any) -> dict[str, Any]:
    # One GraphML key has one type: numbers go under ``name``, text (ISO
    # dates) under ``name_text``.
    number = as_number(value)
    if number is not None:
        return {name: number}
    return {f"{name}_text": value} if value is not None else {}


def _source_node(source: Source) -> dict[str, Any]:
    return _attrs(
        type="source",
        source_id=source.id,
        title=source.title,
        outlet=source.outlet,
        published=source.published,
        status=source.status,
        reason=source.reason,
        url=source.url,
        path=source.path,
    )


def _claim_node(claim: Claim) -> dict[str, Any]:
    attrs = _attrs(
        type="claim",
        claim_id=claim.id,
        source=claim.source,
        text=claim.text,
        sentence=claim.sentence,
        kind=claim.kind,
        unit=claim.unit,
        qualifier=claim.qualifier,
        measure=claim.measure,
        said_by=claim.said_by,
        rule=claim.rule or None,
        approximate=claim.approximate,
        latent=claim.latent,
        missing=claim.missing,
        review_status=claim.review.status,
        start=claim.span.start if claim.span else None,
        end=claim.span.end if claim.span else None,
    )
    for name in ("value", "low", "high"):
        attrs.update(_attrs(**_figure_attrs(name, getattr(claim, name))))
    return attrs


def build_graph(claimset: ClaimSet, groups: Sequence[FigureGroup]) -> nx.MultiDiGraph:
    """A graph of sources, speakers, claims and figure groups.

    Edges: source -contains-> claim, speaker -says-> claim, claim -in_group->
    group, and within a group, from each group's ``relations``: claim
    -conflicts-> claim for figures that cannot both hold, -updates-> for a
    figure that changed over time, -resolved-> for a conflict a person
    resolved, and -agrees-> for compatible figures from different documents.
    Every edge carries ``relation``.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()

    def link(u: str, v: str, relation: str) -> None:
        graph.add_edge(u, v, key=relation, relation=relation)

    for source in claimset.sources:
        graph.add_node(f"source:{source.id}", **_source_node(source))
    for claim in claimset.claims:
        source_node = f"source:{claim.source}"
        if source_node not in graph:
            logger.warning("claim %s names unknown source %s", claim.id, claim.source)
            unknown = _attrs(type="source", source_id=claim.source, status="unknown")
            graph.add_node(source_node, **unknown)
        claim_node = f"claim:{claim.id}"
        graph.add_node(claim_node, **_claim_node(claim))
        link(source_node, claim_node, "contains")
        if claim.said_by:
            speaker_node = f"speaker:{claim.said_by}"
            graph.add_node(speaker_node, **_attrs(type="speaker", name=claim.said_by))
            link(speaker_node, claim_node, "says")
    known = {claim.id for claim in claimset.claims}
    for group in groups:
        group_node = f"group:{group.id}"
        graph.add_node(
            group_node,
            **_attrs(
                type="figure",
                group_id=group.id,
                status=group.status,
                kind=group.kind,
                measure=group.measure,
                subject=group.subject,
                unit=group.unit,
                independent_sources=group.independent_sources,
                explanation=group.explanation,
            ),
        )
        members = [cid for cid in group.claim_ids if cid in known]
        if len(members) != len(group.claim_ids):
            logger.warning("group %s lists claims absent from the claim set", group.id)
        for claim_id in members:
            link(f"claim:{claim_id}", group_node, "in_group")
        for a, b, relation in group.relations:
            if a in known and b in known:
                link(f"claim:{a}", f"claim:{b}", relation)
    return graph


def _canonical(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with nodes, edges and attributes inserted in sorted order."""
    import networkx as nx

    ordered = nx.MultiDiGraph()
    for node in sorted(graph.nodes, key=str):
        data = graph.nodes[node]
        ordered.add_node(node, **_attrs(**{k: data[k] for k in sorted(data)}))
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    for u, v, key, data in edges:
        ordered.add_edge(u, v, key=key, **_attrs(**{k: data[k] for k in sorted(data)}))
    return ordered


def write_graphml(graph: nx.MultiDiGraph, path: Path | str) -> None:
    """Write ``graph`` as GraphML, atomically and byte-for-byte reproducibly;
    a file that already holds exactly that is left alone, its time too."""
    import networkx as nx

    target = Path(path)
    buffer = io.BytesIO()
    nx.write_graphml(_canonical(graph), buffer)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_if_changed(target, buffer.getvalue())
