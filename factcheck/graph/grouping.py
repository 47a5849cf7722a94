"""Grouping claims, rating each group, and applying the people's decisions."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import TYPE_CHECKING

from factcheck.graph.comparison import Comparison, load_comparison
from factcheck.graph.explain import decision_sentence, explain_group, figure_timeline
from factcheck.graph.measures import Lexicon
from factcheck.graph.provenance import speaker_origins
from factcheck.graph.values import (
    Entry,
    GroupFigure,
    Link,
    claim_dates,
    compatible,
    entry_order,
    link_between,
    make_entry,
    outlets_of,
    split_figures,
)
from factcheck.model import Claim, Decision, FigureGroup, Source

if TYPE_CHECKING:
    import pint


STATUS_ORDER = {"conflict": 0, "update": 1, "shared": 2, "single": 3}


def _group_id(claim_ids: Iterable[str]) -> str:
    digest = hashlib.sha1("\n".join(sorted(claim_ids)).encode("utf-8")).hexdigest()
    return "g-" + digest[:8]


def _common(values: Iterable[str]) -> str:
    """The most frequent value, ties broken alphabetically."""
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v))


def _make_group(
    key: tuple[str, str, str, str],
    entries: Sequence[Entry],
    decisions: Sequence[Decision],
    notes: Sequence[str],
    every_entry: Mapping[str, Entry],
    ureg: pint.UnitRegistry,
) -> FigureGroup:
    entries = sorted(entries, key=lambda e: e.claim.id)
    claim_ids = tuple(e.claim.id for e in entries)
    mine = [d for d in decisions if set(d.claims) & set(claim_ids)]
    figures = split_figures(entries)
    resolved = [d for d in mine if d.decision == "resolved"]
    links = [link for a, b in combinations(figures, 2) if (link := link_between(a, b, resolved)) is not None]
    links.sort(key=lambda l: ({"conflicts": 0, "updates": 1, "resolved": 2}[l.relation], entry_order(l.pair[0])))
    source_ids = sorted({e.claim.source for e in entries})
    relations = {link.relation for link in links}
    if "conflicts" in relations:
        status = "conflict"
    elif "updates" in relations:
        status = "update"
    elif len(source_ids) > 1:
        status = "shared"
    else:
        status = "single"
    measure, subject = key[1], key[3]
    sentences = explain_group(figures, links, ureg)
    sentences += [s for d in mine if (s := decision_sentence(d, every_entry))]
    sentences += list(notes)
    origins: dict[str, str] = {}
    for figure in figures:
        origins.update(figure.origins())
    units = sorted({e.claim.unit for e in entries if e.claim.unit})
    return FigureGroup(
        id=_group_id(claim_ids),
        status=status,
        kind=_common(e.claim.kind for e in entries),
        measure=measure,
        unit=", ".join(units) if units else None,
        claim_ids=claim_ids,
        sources=tuple(source_ids),
        speakers=tuple(sorted({e.claim.said_by for e in entries if e.claim.said_by})),
        explanation=" ".join(sentences),
        subject=subject or None,
        outlets=tuple(outlets_of(entries)),
        independent_sources=len(origins),
        origins=tuple(sorted(origins.values(), key=str.casefold)),
        timeline=figure_timeline(figures) if len(figures) > 1 else (),
        decisions=tuple(mine),
        relations=_relations(entries, figures, links),
    )


def _relations(
    entries: Sequence[Entry], figures: Sequence[GroupFigure], links: Sequence[Link]
) -> tuple[tuple[str, str, str], ...]:
    """Each pair of claims (in id order) that cannot both hold, with the
    relation of their figures, or that agrees across documents."""
    figure_of = {id(e): i for i, f in enumerate(figures) for e in f.entries}
    between = {}
    for link in links:
        pair = sorted((figure_of[id(link.lower.entries[0])], figure_of[id(link.higher.entries[0])]))
        between[tuple(pair)] = link.relation
    pairs = []
    for a, b in combinations(entries, 2):
        if not compatible(a, b):
            figures_ab = tuple(sorted((figure_of[id(a)], figure_of[id(b)])))
            pairs.append((a.claim.id, b.claim.id, between.get(figures_ab, "conflicts")))
        elif a.claim.source != b.claim.source:
            pairs.append((a.claim.id, b.claim.id, "agrees"))
    return tuple(pairs)


def group_order(group: FigureGroup) -> tuple[int, str, str]:
    """Sort key: conflicts, updates, shared, single; then by measure and id."""
    return (STATUS_ORDER.get(group.status, len(STATUS_ORDER)), group.measure or "", group.id)


def _apply_same(
    buckets: dict[tuple[str, str, str, str], list[Entry]], decisions: Sequence[Decision]
) -> tuple[dict[tuple[str, str, str, str], list[Entry]], dict[str, list[str]]]:
    """Merge the groups of claims a person marked as the same figure.

    Claims that cannot be compared at all (a count and a sum of money) stay
    apart, and their groups say why.
    """
    key_of = {e.claim.id: key for key, entries in buckets.items() for e in entries}
    notes: dict[str, list[str]] = {}
    for decision in decisions:
        if decision.decision != "same":
            continue
        keys = list(dict.fromkeys(key_of[c] for c in decision.claims if c in key_of))
        if len(keys) < 2:
            continue
        keys.sort(key=lambda k: not k[1])  # a claim with no measure takes its partner's
        target = keys[0]
        if any(k[0] != target[0] or k[2] != target[2] for k in keys[1:]):
            note = "A person marked these claims as the same figure, but their kinds or units cannot be compared."
            for claim_id in decision.claims:
                notes.setdefault(claim_id, []).append(note)
            continue
        for key in keys[1:]:
            for entry in buckets.pop(key):
                buckets[target].append(entry)
                key_of[entry.claim.id] = target
    return buckets, notes


def _apply_not_same(entries: list[Entry], decisions: Sequence[Decision]) -> list[list[Entry]]:
    """Split a group so the claims a person marked as different figures part.

    Each listed claim leads a group of its own; every other claim goes with
    the first listed claim it forms a figure with, else the first listed
    claim it is compatible with, else the first listed claim.
    """
    parts = [entries]
    for decision in decisions:
        if decision.decision != "not-same":
            continue
        split: list[list[Entry]] = []
        for part in parts:
            present = {e.claim.id: e for e in part}
            listed = [present[c] for c in dict.fromkeys(decision.claims) if c in present]
            if len(listed) < 2:
                split.append(part)
                continue
            homes: dict[str, list[Entry]] = {e.claim.id: [e] for e in listed}
            figures = split_figures(part)
            for entry in part:
                if entry.claim.id in homes:
                    continue
                mates = next(f.entries for f in figures if entry in f.entries)
                leader = next((x for x in listed if x in mates), None)
                leader = leader or next((x for x in listed if compatible(entry, x)), listed[0])
                homes[leader.claim.id].append(entry)
            split += list(homes.values())
        parts = split
    return parts


def find_groups(
    claims: Sequence[Claim],
    sources: Sequence[Source],
    ureg: pint.UnitRegistry,
    measure_keys: Mapping[str, str] | None = None,
    *,
    lexicon: Lexicon | None = None,
    comparison: Comparison | None = None,
    decisions: Sequence[Decision] = (),
) -> list[FigureGroup]:
    """Group the claims that measure the same thing and rate each group.

    Claims that are latent, missing, marked "not-a-claim", without a measure,
    of kind date or ordinal, or without a numeric value are left out. A group
    is "conflict" when two of its figures cannot both hold, "update" when
    they differ only because the figure changed over time, "shared" when
    several documents give compatible figures, and "single" otherwise.

    ``measure_keys`` is the measure lexicon (word -> group), used when
    ``lexicon`` is not given; ``comparison`` defaults to the shipped
    ``data/comparison.yaml``; ``decisions`` are the people's rulings from
    claims.yaml.
    """
    if lexicon is None:
        lexicon = Lexicon(groups=measure_keys or {})
    if comparison is None:
        comparison = load_comparison()
    by_source = {source.id: source for source in sources}
    dates = claim_dates(claims, by_source)
    speakers = speaker_origins(claims, lexicon)
    marked_same = frozenset(c for d in decisions if d.decision == "same" for c in d.claims)
    buckets: dict[tuple[str, str, str, str], list[Entry]] = {}
    for claim in claims:
        source = by_source.get(claim.source)
        outlet = source.outlet if source is not None and source.outlet else claim.source
        origin = speakers.get(claim.id)
        entry = make_entry(claim, ureg, lexicon, comparison, dates.get(claim.id), origin, outlet, marked_same)
        if entry is not None:
            buckets.setdefault(entry.key, []).append(entry)
    every_entry = {e.claim.id: e for entries in buckets.values() for e in entries}
    buckets, notes = _apply_same(buckets, decisions)
    # A claim without a measure that no decision could join to another stays out.
    buckets = {key: entries for key, entries in buckets.items() if key[1]}
    groups = []
    for key in sorted(buckets):
        for part in _apply_not_same(sorted(buckets[key], key=lambda e: e.claim.id), decisions):
            part_notes = list(dict.fromkeys(n for e in part for n in notes.get(e.claim.id, [])))
            groups.append(_make_group(key, part, decisions, part_notes, every_entry, ureg))
    return sorted(groups, key=group_order)
