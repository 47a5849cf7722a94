"""Every group flag in words, and numbers written for people."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from factcheck.graph.comparison import as_number
from factcheck.graph.values import DATED_APART, Entry, GroupFigure, Link, entry_order
from factcheck.model import Claim, Decision

if TYPE_CHECKING:
    import pint


def format_number(value: float | int) -> str:
    """A number as a reader writes it: ``290000.0`` -> ``"290,000"``."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    text = repr(float(value))
    if "e" in text or "inf" in text or "nan" in text:
        return text
    whole, _, fraction = text.partition(".")
    return f"{int(whole):,}.{fraction}" if whole not in ("-0", "0") else text


_SCALE_WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def compact_number(value: float, digits: int = 6) -> str:
    """A number for a sentence, to ``digits`` significant digits:
    ``1.15e9`` -> ``"1.15 billion"``, ``4050.0`` -> ``"4,050"``.

    >>> compact_number(1.25e9), compact_number(111.5), compact_number(0.585)
    ('1.25 billion', '111.5', '0.585')
    """
    for size, word in _SCALE_WORDS:
        if abs(value) >= size:
            return f"{float(format(value / size, f'.{digits}g')):.{digits}g} {word}"
    return format_number(float(format(value, f".{digits}g")))


def _range(low: float, high: float, suffix: str = "") -> str:
    # As many digits as it takes to tell the two ends apart.
    digits = next((d for d in range(6, 16) if compact_number(low, d) != compact_number(high, d)), 16)
    first, second = compact_number(low, digits), compact_number(high, digits)
    for _, word in _SCALE_WORDS:
        if first.endswith(" " + word) and second.endswith(" " + word):
            first = first[: -len(word) - 1]
    return f"{first}{suffix} to {second}{suffix}"


def _label(figure: GroupFigure) -> str:
    """The figure as a reader would name it: "112", or "More than 4,000 /
    some 4,500" when its claims give different values."""
    counts = Counter(_bare(e.claim) for e in figure.entries)
    if len(counts) == 1:
        return next(iter(counts))
    texts = Counter(" ".join(e.claim.text.split()) for e in figure.entries)
    return " / ".join(sorted(texts, key=lambda t: (-texts[t], t)))


def _bare(claim: Claim) -> str:
    """The figure as written without its qualifier: "at least $1.2bn" -> "$1.2bn"."""
    text = " ".join(claim.text.split())
    if claim.qualifier is None and not claim.approximate:
        return text
    digit = re.search(r"[\d$€£¥]", text)
    if digit is not None:
        return text[digit.start() :]
    words = text.split()
    drop = len(claim.qualifier.split()) if claim.qualifier else 1
    return " ".join(words[drop:]) or text


def _allows(entry: Entry) -> str:
    """What a claim allows, in words: "at least 300", "exactly 112", "about
    4,500 (4,050 to 4,950)"."""
    claim = entry.claim
    text = " ".join(claim.text.split())
    low, high = entry.own_low, entry.own_high
    suffix = "%" if claim.kind == "percent" else ""
    if high is None:
        return text if claim.qualifier or low is None else f"at least {compact_number(low)}{suffix}"
    if low is None:
        return text if claim.qualifier else f"at most {compact_number(high)}{suffix}"
    whole = claim.kind == "count" and float(as_number(claim.value) or 0.5).is_integer()
    if low == high or (whole and high - low <= 1 and not claim.approximate):
        return f"exactly {text}"  # a whole count written to its last digit
    return f"{text} ({_range(low, high, suffix)})"


def _in_unit_of(entry: Entry, other: Entry, ureg: pint.UnitRegistry) -> str:
    """`` (10 feet is 3.05 metres)``-style note when two claims use different units."""
    if entry.unit is None or other.unit is None or entry.unit == other.unit or entry.claim.value is None:
        return ""
    value = as_number(entry.claim.value)
    if value is None:
        return ""
    converted = ureg.Quantity(value, entry.unit).to(other.unit).magnitude
    return f" ({' '.join(entry.claim.text.split())} is {compact_number(float(f'{converted:.4g}'))} {other.unit:~P})"


def _who(figure: GroupFigure) -> str:
    """ "National Disaster Agency, via 4 outlets" or "Dr. Ilan Petrov, The Daily Ledger"."""
    outlets = figure.outlets
    names = [
        n for k, n in sorted(figure.origins().items(), key=lambda kv: kv[1].casefold()) if not k.startswith("outlet:")
    ]
    if len(outlets) == 1:
        return ", ".join([*names, outlets[0]])
    return ", ".join([*names, f"via {len(outlets)} outlets"])


def _provenance(figure: GroupFigure) -> str:
    origins = sorted(figure.origins().values(), key=str.casefold)
    outlets = figure.outlets
    count = len(origins)
    sources = f"{count} independent source{'s' if count != 1 else ''} ({', '.join(origins)})"
    places = f"{len(outlets)} outlet{'s' if len(outlets) != 1 else ''} ({', '.join(outlets)})"
    if len(outlets) > count:
        return f"{_label(figure)}: {sources}, repeated by {places}."
    return f"{_label(figure)}: {sources} in {places}."


def _describe_claims(claim_ids: Sequence[str], entries: Mapping[str, Entry]) -> str:
    parts = []
    for claim_id in claim_ids:
        entry = entries.get(claim_id)
        parts.append(f"{' '.join(entry.claim.text.split())} ({entry.outlet})" if entry else claim_id)
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def decision_sentence(decision: Decision, entries: Mapping[str, Entry]) -> str:
    claims = _describe_claims(decision.claims, entries)
    note = f": {decision.note}" if decision.note else "."
    if decision.decision == "same":
        return f"A person marked {claims} as the same figure{note}"
    if decision.decision == "not-same":
        return f"A person marked {claims} as different figures, never compared{note}"
    return ""  # "resolved" is worded with the conflict it resolves


def explain_group(
    figures: Sequence[GroupFigure],
    links: Sequence[Link],
    ureg: pint.UnitRegistry,
) -> list[str]:
    """One sentence per flag (conflict, update, resolved conflict), then who
    gives each figure; a group of one figure in one outlet takes one sentence."""
    sentences = []
    for link in links:
        low, high = link.pair
        if link.relation == "conflicts":
            sentences.append(
                f"{_label(link.higher)} ({_who(link.higher)}) conflicts with "
                f"{_label(link.lower)} ({_who(link.lower)}): {_allows(high)}{_in_unit_of(high, low, ureg)} "
                f"and {_allows(low)} cannot both hold."
            )
        elif link.relation == "updates" and link.reason != DATED_APART:
            earlier = link.earlier
            later = link.higher if earlier is link.lower else link.lower
            assert earlier is not None
            sentences.append(
                f"Update, not a conflict: {_label(earlier)} ({_who(earlier)}{_dated(earlier)}) was followed by "
                f"{_label(later)} ({_who(later)}{_dated(later)}); {link.reason}."
            )
        elif link.relation == "resolved":
            note = f": {link.reason}" if link.reason else "."
            sentences.append(
                f"{_label(link.higher)} ({_who(link.higher)}) and {_label(link.lower)} ({_who(link.lower)}) "
                f"cannot both hold, but a person marked the conflict resolved{note}"
            )
    dated = [link for link in links if link.relation == "updates" and link.reason == DATED_APART]
    if dated:
        # One timeline rather than a sentence for every pair of dates.
        chain = {id(f): f for link in dated for f in (link.lower, link.higher)}
        ordered = sorted(chain.values(), key=lambda f: (f.dates, entry_order(f.entries[0])))
        steps = [f"{_label(f)} ({_who(f)}{_dated(f)})" for f in ordered]
        sentences.append(
            f"Update, not a conflict: {steps[0]} was followed by {', then '.join(steps[1:])}; {DATED_APART}."
        )
    if len(figures) == 1:
        figure = figures[0]
        outlets = figure.outlets
        texts = ", ".join(dict.fromkeys(" ".join(e.claim.text.split()) for e in figure.entries))
        if len(outlets) == 1:
            named = [n for k, n in figure.origins().items() if not k.startswith("outlet:")]
            said = f", from {', '.join(sorted(named, key=str.casefold))}" if named else ""
            return [f"{texts[:1].upper()}{texts[1:]}, only in {outlets[0]}{said}."]
        sentences.append(f"{len(outlets)} outlets give compatible figures: {texts}.")
    sentences += [_provenance(f) for f in sorted(figures, key=lambda f: entry_order(f.entries[0]))]
    return sentences


def _dated(figure: GroupFigure) -> str:
    dates = figure.dates
    if not dates:
        return ""
    return f", {dates[0]}" if len(dates) == 1 else f", {dates[0]} to {dates[-1]}"


def figure_timeline(figures: Sequence[GroupFigure]) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    rows: dict[tuple[str, int], list[Entry]] = {}
    for index, figure in enumerate(figures):
        for entry in figure.entries:
            if entry.date:
                rows.setdefault((entry.date, index), []).append(entry)
    timeline = []
    for (date, index), entries in rows.items():
        part = GroupFigure(entries)
        timeline.append((date, f"{_label(figures[index])} ({_who(part)})", tuple(sorted(e.claim.id for e in entries))))
    return tuple(sorted(timeline))
