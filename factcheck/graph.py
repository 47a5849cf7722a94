"""Group claims that measure the same thing, and decide whether they agree.

A group gathers claims of one kind family ("count", a share, money, a
physical quantity), one measure ("deaths", after the measure lexicon) and one
unit dimension. Every claim is read as an interval; two claims conflict when
their intervals, widened by the tolerances below, cannot both hold.

Dates and ordinals are never grouped: an ordinal ("the third meeting") is a
position, not an amount, and dates need calendar-aware comparison that a
string interval would get wrong for mixed precision ("2023" vs "2023-05-01").

The same module turns a claim set and its groups into a graph of sources,
speakers, claims and groups, and writes it as GraphML.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
import pint

from factcheck.model import Claim, ClaimSet, FigureGroup, Source

logger = logging.getLogger(__name__)

# Figures are rounded by whoever writes them ("290,000" for 289,612), so an
# exact-looking number stands for a small range; 0.5 % absorbs that rounding
# without letting genuinely different figures pass as the same.
ROUNDING_TOLERANCE = 0.005

# "About", "nearly", "some" announce a loose figure; 10 % either side is the
# slack readers commonly grant such wording. It replaces the rounding
# tolerance rather than adding to it.
APPROXIMATE_TOLERANCE = 0.10

# Shares are routinely rounded to whole percentage points ("33 %" for a
# third), which a relative tolerance on small fractions does not cover: half a
# percentage point is added on each side of every share.
SHARE_ROUNDING = 0.005

# Kinds compared with each other; kinds absent here are never grouped.
KIND_FAMILIES = {
    "count": "count",
    "percent": "share",
    "fraction": "share",
    "money": "money",
    "quantity": "measurement",
    "duration": "measurement",
}

STATUS_ORDER = {"conflict": 0, "shared": 1, "single": 2}


@dataclass(frozen=True)
class _Entry:
    """A claim read as a comparable interval (``None`` = open end)."""

    claim: Claim
    key: tuple[str, str, str]
    low: float | None
    high: float | None


# --------------------------------------------------------------------------
# Reading claims as intervals


def _number(value: Any) -> float | None:
    # bool is an int subclass but never a figure.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _widen(
    low: float | None, high: float | None, tolerance: float
) -> tuple[float | None, float | None]:
    if low is not None:
        low -= abs(low) * tolerance
    if high is not None:
        high += abs(high) * tolerance
    return low, high


def _raw_interval(claim: Claim) -> tuple[float | None, float | None] | None:
    """The claim's interval as written, or None when it has no number at all."""
    if claim.low is None and claim.high is None:
        value = _number(claim.value)
        return None if value is None else (value, value)
    low, high = _number(claim.low), _number(claim.high)
    if (claim.low is not None and low is None) or (claim.high is not None and high is None):
        return None
    if low is not None and high is not None and low > high:
        low, high = high, low
    return low, high


def _unit_key(claim: Claim, family: str, ureg: pint.UnitRegistry) -> tuple[str, pint.Unit | None]:
    """A string naming the unit's dimension, and the pint unit to convert with."""
    unit = claim.unit.strip() if claim.unit else None
    if family == "share" or not unit:
        return "", None
    if family == "money":
        # Currency codes are not pint units and exchange rates vary by date.
        return "currency:" + unit.upper(), None
    try:
        parsed = ureg.parse_units(unit)
    except (pint.errors.PintError, ValueError, TypeError, SyntaxError, ArithmeticError):
        # Not a pint unit ("people", "homes"): only the identical label compares.
        return "label:" + unit, None
    return "dim:" + str(parsed.dimensionality), parsed


def _to_base(value: float | None, unit: pint.Unit | None, ureg: pint.UnitRegistry) -> float | None:
    if value is None or unit is None:
        return value
    return float(ureg.Quantity(value, unit).to_base_units().magnitude)


def _measure_key(measure: str, measure_keys: Mapping[str, str]) -> str:
    folded = " ".join(measure.lower().split())
    return measure_keys.get(folded, folded)


def _entry(claim: Claim, ureg: pint.UnitRegistry, measure_keys: Mapping[str, str]) -> _Entry | None:
    """Read a claim as a widened interval in base units, or None to leave it out."""
    family = KIND_FAMILIES.get(claim.kind)
    if (
        family is None
        or claim.latent
        or claim.missing
        or claim.review.status == "not-a-claim"
        or not claim.measure
        or not claim.measure.strip()
    ):
        return None
    interval = _raw_interval(claim)
    if interval is None:
        return None
    dimension, unit = _unit_key(claim, family, ureg)
    tolerance = APPROXIMATE_TOLERANCE if claim.approximate else ROUNDING_TOLERANCE
    low, high = _widen(*interval, tolerance)
    if family == "share":
        scale = 0.01 if claim.kind == "percent" else 1.0
        low = None if low is None else low * scale - SHARE_ROUNDING
        high = None if high is None else high * scale + SHARE_ROUNDING
    else:
        try:
            low, high = _to_base(low, unit, ureg), _to_base(high, unit, ureg)
        except pint.errors.PintError:
            logger.warning("claim %s: cannot convert unit %r; not grouped", claim.id, claim.unit)
            return None
    key = (family, _measure_key(claim.measure, measure_keys), dimension)
    return _Entry(claim=claim, key=key, low=low, high=high)


def _disjoint(a: _Entry, b: _Entry) -> bool:
    above = a.low is not None and b.high is not None and a.low > b.high
    below = b.low is not None and a.high is not None and b.low > a.high
    return above or below


def _relations(entries: Sequence[_Entry]) -> list[tuple[_Entry, _Entry, str]]:
    """Each pair (in claim id order) that conflicts, or agrees across sources."""
    ordered = sorted(entries, key=lambda e: e.claim.id)
    pairs = []
    for a, b in combinations(ordered, 2):
        if _disjoint(a, b):
            pairs.append((a, b, "conflicts"))
        elif a.claim.source != b.claim.source:
            pairs.append((a, b, "agrees"))
    return pairs


# --------------------------------------------------------------------------
# Wording


def format_number(value: float | int) -> str:
    """A number as a reader writes it: ``290000.0`` -> ``"290,000"``."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    text = repr(float(value))
    if "e" in text or "inf" in text or "nan" in text:
        return text
    whole, _, fraction = text.partition(".")
    return f"{int(whole):,}.{fraction}" if whole not in ("-0", "0") else text


def _figure(claim: Claim) -> str:
    candidates = (claim.value, claim.low, claim.high)
    value = next((v for v in candidates if _number(v) is not None), claim.value)
    number = format_number(value) if _number(value) is not None else str(value)
    if claim.kind == "percent":
        return number + "%"
    return f"{number} {claim.unit}" if claim.unit else number


def _subject(entries: Sequence[_Entry], measure: str) -> str:
    """Name the figure ("112 deaths") when the claims give one, else the measure."""
    figures = sorted({_figure(e.claim) for e in entries})
    if len(figures) != 1:
        return measure
    if entries[0].claim.kind == "count":
        return f"{figures[0]} {measure}"
    texts = sorted({e.claim.text for e in entries})
    # The writer's own wording reads better than "3 metre" when it is unique.
    return f"{measure} of {texts[0] if len(texts) == 1 else figures[0]}"


def _where(source_id: str, sources: Mapping[str, Source]) -> str:
    source = sources.get(source_id)
    return source.outlet if source is not None and source.outlet else source_id


def _describe(entry: _Entry, sources: Mapping[str, Source]) -> str:
    claim = entry.claim
    speaker = claim.said_by or "the article"
    return f"{_figure(claim)} ({claim.text}; {speaker}, {_where(claim.source, sources)})"


def _texts(entries: Sequence[_Entry]) -> str:
    return ", ".join(dict.fromkeys(e.claim.text for e in entries))


def _explain(
    entries: Sequence[_Entry],
    status: str,
    measure: str,
    relations: Sequence[tuple[_Entry, _Entry, str]],
    sources: Mapping[str, Source],
) -> str:
    if status == "conflict":
        conflicts = [(a, b) for a, b, relation in relations if relation == "conflicts"]
        a, b = conflicts[0]
        # Name the higher figure first: "300 ... conflicts with 112 ...".
        if b.low is not None and a.high is not None and b.low > a.high:
            a, b = b, a
        sentence = (
            f"{_describe(a, sources)} conflicts with {_describe(b, sources)}: "
            f"{a.claim.text} and {b.claim.text} cannot both hold."
        )
        more = len(conflicts) - 1
        if more == 1:
            sentence += " 1 more pair of figures in this group also conflicts."
        elif more > 1:
            sentence += f" {more} more pairs of figures in this group also conflict."
        return sentence
    subject = _subject(entries, measure)
    source_ids = sorted({e.claim.source for e in entries})
    names = ", ".join(sorted({_where(s, sources) for s in source_ids}))
    several_figures = subject == measure
    if status == "shared":
        detail = f": {_texts(entries)}" if several_figures else ""
        return (
            f"{subject} reported by {len(source_ids)} sources ({names}) "
            f"with compatible figures{detail}."
        )
    count = f" ({len(entries)} claims: {_texts(entries)})" if len(entries) > 1 else ""
    return f"{subject} reported only by {names}{count}."


# --------------------------------------------------------------------------
# Groups


def _group_id(claim_ids: Iterable[str]) -> str:
    digest = hashlib.sha1("\n".join(sorted(claim_ids)).encode("utf-8")).hexdigest()
    return "g-" + digest[:8]


def _common(values: Iterable[str]) -> str:
    """The most frequent value, ties broken alphabetically."""
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v))


def _make_group(entries: Sequence[_Entry], sources: Mapping[str, Source]) -> FigureGroup:
    entries = sorted(entries, key=lambda e: e.claim.id)
    relations = _relations(entries)
    source_ids = sorted({e.claim.source for e in entries})
    if any(relation == "conflicts" for _, _, relation in relations):
        status = "conflict"
    elif len(source_ids) > 1:
        status = "shared"
    else:
        status = "single"
    measure = entries[0].key[1]
    units = sorted({e.claim.unit for e in entries if e.claim.unit})
    claim_ids = tuple(e.claim.id for e in entries)
    return FigureGroup(
        id=_group_id(claim_ids),
        status=status,
        kind=_common(e.claim.kind for e in entries),
        measure=measure,
        unit=", ".join(units) if units else None,
        claim_ids=claim_ids,
        sources=tuple(source_ids),
        speakers=tuple(sorted({e.claim.said_by for e in entries if e.claim.said_by})),
        explanation=_explain(entries, status, measure, relations, sources),
    )


def group_order(group: FigureGroup) -> tuple[int, str, str]:
    """Sort key: conflicts first, then shared, then single; by measure, id."""
    return (STATUS_ORDER.get(group.status, len(STATUS_ORDER)), group.measure or "", group.id)


def find_groups(
    claims: Sequence[Claim],
    sources: Sequence[Source],
    ureg: pint.UnitRegistry,
    measure_keys: Mapping[str, str] | None = None,
) -> list[FigureGroup]:
    """Group the claims that measure the same thing and rate each group.

    Claims that are latent, missing, marked "not-a-claim", without a measure,
    of kind date or ordinal, or without a numeric value are left out. A group
    is "conflict" when two of its claims cannot both hold, "shared" when
    several sources give compatible figures, and "single" otherwise.
    """
    keys = measure_keys or {}
    buckets: dict[tuple[str, str, str], list[_Entry]] = {}
    for claim in claims:
        entry = _entry(claim, ureg, keys)
        if entry is not None:
            buckets.setdefault(entry.key, []).append(entry)
    by_id = {source.id: source for source in sources}
    groups = [_make_group(entries, by_id) for entries in buckets.values()]
    return sorted(groups, key=group_order)


# --------------------------------------------------------------------------
# Graph


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
    number = _number(value)
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


def build_graph(
    claimset: ClaimSet,
    groups: Sequence[FigureGroup],
    *,
    ureg: pint.UnitRegistry | None = None,
) -> nx.MultiDiGraph:
    """A graph of sources, speakers, claims and figure groups.

    Edges: source -contains-> claim, speaker -says-> claim, claim -in_group->
    group, and within a group claim -conflicts-> claim for figures that
    cannot both hold and claim -agrees-> claim for compatible figures from
    different sources. ``ureg`` converts units to compare pairs (pint's
    application registry when omitted). Every edge carries ``relation``.
    """
    registry = ureg if ureg is not None else pint.get_application_registry()
    graph = nx.MultiDiGraph()

    def link(u: str, v: str, relation: str) -> None:
        graph.add_edge(u, v, key=relation, relation=relation)

    for source in claimset.sources:
        graph.add_node(f"source:{source.id}", **_source_node(source))
    claims = {claim.id: claim for claim in claimset.claims}
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
                unit=group.unit,
                explanation=group.explanation,
            ),
        )
        members = [claims[cid] for cid in group.claim_ids if cid in claims]
        if len(members) != len(group.claim_ids):
            logger.warning("group %s lists claims absent from the claim set", group.id)
        for claim in members:
            link(f"claim:{claim.id}", group_node, "in_group")
        # Read without a measure lexicon: the group already says they belong together.
        entries = [e for e in (_entry(c, registry, {}) for c in members) if e is not None]
        for a, b, relation in _relations(entries):
            link(f"claim:{a.claim.id}", f"claim:{b.claim.id}", relation)
    return graph


def _canonical(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with nodes, edges and attributes inserted in sorted order."""
    ordered = nx.MultiDiGraph()
    for node in sorted(graph.nodes, key=str):
        data = graph.nodes[node]
        ordered.add_node(node, **_attrs(**{k: data[k] for k in sorted(data)}))
    edges = sorted(
        graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))
    )
    for u, v, key, data in edges:
        ordered.add_edge(u, v, key=key, **_attrs(**{k: data[k] for k in sorted(data)}))
    return ordered


def write_graphml(graph: nx.MultiDiGraph, path: Path | str) -> None:
    """Write ``graph`` as GraphML, atomically and byte-for-byte reproducibly."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            nx.write_graphml(_canonical(graph), handle)
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
