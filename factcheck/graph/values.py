"""Claims read for comparison, split into figures that agree, and the link between two figures: conflict or update."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from factcheck.graph.comparison import ChangeCue, Comparison, reading
from factcheck.graph.measures import Lexicon, figure_context, measure_and_subject
from factcheck.graph.provenance import Origin
from factcheck.graph.wording import fold_text, match_change
from factcheck.model import Claim, Decision, Source, datatype

if TYPE_CHECKING:
    import pint

logger = logging.getLogger(__name__)

# Kinds compared with each other; kinds absent here are never grouped.
KIND_FAMILIES = {
    "count": "count",
    "percent": "share",
    "fraction": "share",
    "money": "money",
    "quantity": "measurement",
    "duration": "measurement",
}

DATED_APART = "the reports are dated apart"

_ISO_DATE = re.compile(r"\d{4}(?:-\d\d(?:-\d\d)?)?")


@datatype(frozen=True)
class Entry:
    """A claim read for comparison; intervals use ``None`` for an open end."""

    claim: Claim
    key: tuple[str, str, str, str]  # family, measure, dimension, subject ("" = none)
    low: float | None  # in base units (shares as fractions of one)
    high: float | None
    own_low: float | None  # in the claim's own unit, for wording
    own_high: float | None
    unit: pint.Unit | None
    date: str | None  # ISO date (or year, or month) the figure is given for
    change: tuple[ChangeCue, str] | None  # change wording before the figure
    origin: Origin | None  # None: the article itself
    outlet: str


def _unit_key(claim: Claim, family: str, ureg: pint.UnitRegistry) -> tuple[str, pint.Unit | None]:
    """A string naming the unit's dimension, and the pint unit to convert with."""
    unit = claim.unit.strip() if claim.unit else None
    if family == "share" or not unit:
        return "", None
    if family == "money":
        # Currency codes are not pint units and exchange rates vary by date.
        return "currency:" + unit.upper(), None
    import pint

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


def _comparable(claim: Claim, marked_same: frozenset[str]) -> bool:
    """Whether a claim takes part in grouping; one with no measure does only
    when a person marked it the same figure as another claim."""
    return (
        claim.kind in KIND_FAMILIES
        and not claim.latent
        and not claim.missing
        and claim.review.status != "not-a-claim"
        and (bool(claim.measure and claim.measure.strip()) or claim.id in marked_same)
    )


def make_entry(
    claim: Claim,
    ureg: pint.UnitRegistry,
    lexicon: Lexicon,
    comparison: Comparison,
    date: str | None,
    origin: Origin | None,
    outlet: str,
    marked_same: frozenset[str] = frozenset(),
) -> Entry | None:
    """Read a claim for comparison, or None to leave it out."""
    if not _comparable(claim, marked_same):
        return None
    interval = reading(claim, comparison)
    if interval is None:
        return None
    family = KIND_FAMILIES[claim.kind]
    dimension, unit = _unit_key(claim, family, ureg)
    own_low, own_high = interval
    low, high = own_low, own_high
    if family == "share":
        scale = 0.01 if claim.kind == "percent" else 1.0
        low = None if low is None else low * scale
        high = None if high is None else high * scale
    else:
        import pint

        try:
            low, high = _to_base(low, unit, ureg), _to_base(high, unit, ureg)
        except pint.errors.PintError:
            logger.warning("claim %s: cannot convert unit %r; not grouped", claim.id, claim.unit)
            return None
    context = figure_context(claim)
    measure, subject = measure_and_subject(claim, context, lexicon)
    return Entry(
        claim=claim,
        key=(family, measure, dimension, subject or ""),
        low=low,
        high=high,
        own_low=own_low,
        own_high=own_high,
        unit=unit,
        date=date,
        change=match_change(context.before, comparison.changes),
        origin=origin,
        outlet=outlet,
    )


def compatible(a: Entry, b: Entry) -> bool:
    above = a.low is not None and b.high is not None and a.low > b.high
    below = b.low is not None and a.high is not None and b.low > a.high
    return not (above or below)


def claim_dates(claims: Sequence[Claim], sources: Mapping[str, Source]) -> dict[str, str]:
    """The date each claim's figure is given for.

    A year or month in the claim's own sentence is the period the figure
    describes ("15,780 as of 2011", "in July 2000"), the one nearest the
    figure if there are several. Failing that, the document's publication
    date. A full date in the sentence comes last: it usually dates the event
    ("the breach on March 3"), not the count.
    """
    in_sentence: dict[tuple[str, str], list[Claim]] = {}
    for claim in claims:
        if claim.kind == "date" and not claim.missing and claim.span and _ISO_DATE.fullmatch(str(claim.value)):
            in_sentence.setdefault((claim.source, claim.sentence), []).append(claim)
    dates: dict[str, str] = {}
    for claim in claims:
        if claim.kind == "date":
            continue
        candidates = in_sentence.get((claim.source, claim.sentence), []) if claim.span else []
        periods = [c for c in candidates if len(str(c.value)) < 10]
        source = sources.get(claim.source)
        published = source.published if source is not None and source.published else ""
        if periods:
            dates[claim.id] = _nearest(claim, periods)
        elif _ISO_DATE.fullmatch(published):
            dates[claim.id] = published
        elif candidates:
            dates[claim.id] = _nearest(claim, candidates)
    return dates


def _nearest(claim: Claim, dates: Sequence[Claim]) -> str:
    """The date claim nearest ``claim`` in their sentence; of a range of
    dates ("between 2019 and 2021"), its last date, as of which a figure
    over the range is given."""
    span = claim.span
    assert span is not None

    def distance(other: Claim) -> tuple[int, str]:
        assert other.span is not None
        return max(other.span.start - span.end, span.start - other.span.end, 0), other.id

    nearest = min(dates, key=distance)
    last = nearest.high
    if isinstance(last, str) and last != nearest.value and _ISO_DATE.fullmatch(last):
        return last
    return str(nearest.value)


def _before(a: str, b: str) -> bool:
    """Whether date ``a`` is earlier than ``b`` at the precision both have."""
    size = min(len(a), len(b))
    return a[:size] < b[:size]


@datatype
class GroupFigure:
    """Claims of a group that are all compatible with each other."""

    entries: list[Entry]

    @property
    def dates(self) -> list[str]:
        return sorted({e.date for e in self.entries if e.date})

    def origins(self) -> dict[str, str]:
        """Independent sources, key -> name; unattributed claims count only
        when their article attributes none of this figure's claims."""
        found: dict[str, list[str]] = {}
        attributed = {e.claim.source for e in self.entries if e.origin is not None}
        for entry in self.entries:
            if entry.origin is not None:
                found.setdefault(entry.origin.key, []).append(entry.origin.name)
            elif entry.claim.source not in attributed:
                found.setdefault("outlet:" + fold_text(entry.outlet), []).append(entry.outlet)
        return {key: _longest(names) for key, names in found.items()}

    @property
    def outlets(self) -> list[str]:
        return outlets_of(self.entries)


def _longest(names: Iterable[str]) -> str:
    return min(names, key=lambda n: (-len(n), n))


def outlets_of(entries: Iterable[Entry]) -> list[str]:
    by_key: dict[str, list[str]] = {}
    for entry in entries:
        by_key.setdefault(fold_text(entry.outlet), []).append(entry.outlet)
    return sorted((_longest(names) for names in by_key.values()), key=str.casefold)


def entry_order(entry: Entry) -> tuple[float, float, str]:
    low = entry.low if entry.low is not None else -math.inf
    high = entry.high if entry.high is not None else math.inf
    return (low, high, entry.claim.id)


def split_figures(entries: Sequence[Entry]) -> list[GroupFigure]:
    """Split a group into figures: each claim joins the first figure whose
    claims are all compatible with it, in the order of their lower bounds."""
    figures: list[GroupFigure] = []
    for entry in sorted(entries, key=entry_order):
        home = next((f for f in figures if all(compatible(entry, e) for e in f.entries)), None)
        if home is None:
            figures.append(GroupFigure([entry]))
        else:
            home.entries.append(entry)
    return figures


@datatype(frozen=True)
class Link:
    """How two figures of a group relate, when they cannot both hold."""

    lower: GroupFigure
    higher: GroupFigure
    pair: tuple[Entry, Entry]  # the claims that cannot both hold, lower first
    relation: str  # "conflicts" | "updates" | "resolved"
    earlier: GroupFigure | None = None  # for updates
    reason: str = ""  # for updates: why; for resolved: the note


def link_between(a: GroupFigure, b: GroupFigure, resolved: Sequence[Decision]) -> Link | None:
    pairs = [(x, y) for x in a.entries for y in b.entries if not compatible(x, y)]
    if not pairs:
        return None
    x, y = min(pairs, key=lambda p: (p[0].claim.id, p[1].claim.id))
    if entry_order(y) < entry_order(x):
        x, y = y, x
    lower, higher = (a, b) if any(x is e for e in a.entries) else (b, a)
    ids = {e.claim.id for e in lower.entries}, {e.claim.id for e in higher.entries}
    for decision in resolved:
        if ids[0] & set(decision.claims) and ids[1] & set(decision.claims):
            return Link(lower, higher, (x, y), "resolved", reason=decision.note)
    update = _update(lower, higher)
    if update is not None:
        earlier, reason = update
        return Link(lower, higher, (x, y), "updates", earlier, reason)
    return Link(lower, higher, (x, y), "conflicts")


def _update(lower: GroupFigure, higher: GroupFigure) -> tuple[GroupFigure, str] | None:
    """Which figure came first, and why, when the pair is a change over time."""
    for entry in higher.entries:
        if entry.change and entry.change[0].direction in ("up", "either") and entry.change[0].role == "later":
            return lower, _said_change(entry)
        if entry.change and entry.change[0].direction == "down" and entry.change[0].role == "earlier":
            return higher, _said_change(entry)
    for entry in lower.entries:
        if entry.change and entry.change[0].direction in ("down", "either") and entry.change[0].role == "later":
            return higher, _said_change(entry)
        if entry.change and entry.change[0].direction == "up" and entry.change[0].role == "earlier":
            return lower, _said_change(entry)
    low_dates, high_dates = lower.dates, higher.dates
    if low_dates and high_dates:
        if _before(low_dates[-1], high_dates[0]):
            return lower, DATED_APART
        if _before(high_dates[-1], low_dates[0]):
            return higher, DATED_APART
    return None


def _said_change(entry: Entry) -> str:
    assert entry.change is not None
    return f"the wording “{entry.change[1]} {entry.claim.text}” says the figure changed"
