"""Group claims that measure the same thing, and decide whether they agree.

Grouping. A claim joins a group by its kind family (a count, a share, money,
a physical quantity), its measure (after the measure lexicon: "killed",
"dead" and "death toll" all measure deaths), its unit dimension (metres and
feet compare, metres and kilograms do not; each currency only with itself)
and its subject, when the text names what was counted ("85 cattle died"
measures deaths of cattle, which never joins a death toll of people).

Comparison. Every claim is read as an interval: the bounds its qualifier
gives ("at least 300"), widened for approximate wording ("about 4,500") and
for rounding, which is read from how the figure is written ("1.2 billion"
stands for 1.15 to 1.25 billion). Units are converted before comparing.
Within a group, compatible claims form figures; two figures that cannot
both hold are an update when their reports are dated apart or the wording
says the figure changed ("rose to 150"), and a conflict otherwise.

Provenance. Each figure counts its independent sources: the speakers it is
attributed to, with short mentions ("the agency", "Petrov") read as the
full name the same document gives, and with an unattributed figure taken as
relayed when its article attributes the same figure elsewhere. Five
outlets quoting one agency are one source.

People's decisions (claims.yaml ``decisions:``) merge groups, split them,
or mark a conflict resolved; every group says in words why it is flagged.

Dates and ordinals are never grouped: an ordinal ("the third meeting") is a
position, not an amount, and dates need calendar-aware comparison.

The same module turns a claim set and its groups into a graph of sources,
speakers, claims and groups, and writes it as GraphML.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from factcheck.model import Claim, ClaimSet, Decision, FactcheckError, FigureGroup, Source

if TYPE_CHECKING:
    # Imported where they are used: `factcheck extract` loads this module's
    # error class but never compares figures, and should not pay for these.
    import networkx as nx
    import pint

logger = logging.getLogger(__name__)

SHIPPED_COMPARISON = Path(__file__).parent / "data" / "comparison.yaml"
DIRECTIONS = ("up", "down", "either")
ROLES = ("later", "earlier")

# Kinds compared with each other; kinds absent here are never grouped.
KIND_FAMILIES = {
    "count": "count",
    "percent": "share",
    "fraction": "share",
    "money": "money",
    "quantity": "measurement",
    "duration": "measurement",
}

STATUS_ORDER = {"conflict": 0, "update": 1, "shared": 2, "single": 3}

# Up to how many words "..." stands for in a change phrase.
_GAP = 3
_DATED_APART = "the reports are dated apart"
_WORD = re.compile(r"[^\W\d_](?:[\w'’.-]*\w)?|\d[\d,.]*|[^\w\s]")
# Punctuation that ends the clause a figure stands in.
_CLAUSE_BREAKS = frozenset(",;:()[]!?\"“”‘’—–")
_ISO_DATE = re.compile(r"\d{4}(?:-\d\d(?:-\d\d)?)?")
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


class ComparisonError(FactcheckError):
    """A comparison rule file that cannot be used; ``str()`` is one line."""


@dataclass(frozen=True)
class ChangeCue:
    """Wording that says a figure replaced another one ("rose to <figure>")."""

    name: str
    phrases: tuple[tuple[str, ...], ...]  # folded words; "..." is a gap
    direction: str  # one of DIRECTIONS
    role: str = "later"  # one of ROLES
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """How figures are compared: tolerances and change wording (comparison.yaml)."""

    approximate: float = 0.10
    rounding_cap: float = 0.05
    changes: tuple[ChangeCue, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    """The words grouping reads from the rule data (measures.yaml, cues.yaml).

    ``groups`` maps a measure word to its group ("killed" -> "deaths");
    ``generic_nouns``, ``auxiliaries``, ``skip`` and ``window`` help read what
    a figure counts; ``org_words``, ``determiners`` and ``pronouns`` help
    tell who gave it. Words are matched case-insensitively.
    """

    groups: Mapping[str, str] = field(default_factory=dict)
    generic_nouns: frozenset[str] = frozenset()
    auxiliaries: frozenset[str] = frozenset()
    skip: tuple[str, ...] = ()  # longest first
    window: int = 4
    org_words: frozenset[str] = frozenset()
    determiners: frozenset[str] = frozenset()
    pronouns: frozenset[str] = frozenset()


# --------------------------------------------------------------------------
# The comparison rule file


def load_comparison(path: Path | str = SHIPPED_COMPARISON) -> Comparison:
    """Read a comparison rule file (see ``data/comparison.yaml`` for its syntax).

    Raises :class:`ComparisonError` ``"file:line: message"`` on any problem.

    >>> load_comparison().approximate
    0.1
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise ComparisonError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ComparisonError(f"{where}: {exc.problem or exc.context}") from None
    return _RuleReader(path).comparison(root)


class _RuleReader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, node: yaml.Node | None, message: str) -> ComparisonError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return ComparisonError(f"{self.path}{line}: {message}")

    def mapping(self, node: yaml.Node | None, what: str, keys: tuple[str, ...]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        items: dict[str, yaml.Node] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.value not in keys:
                raise self.fail(key, f"{what}: unknown key {getattr(key, 'value', key)!r}; known: {', '.join(keys)}")
            if key.value in items:
                raise self.fail(key, f"{what}: duplicate key {key.value!r}")
            items[key.value] = value
        return items

    def text(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null") or not node.value.strip():
            raise self.fail(node, f"{what} must be text")
        return node.value.strip()

    def texts(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list")
        return tuple(self.text(item, what) for item in node.value)

    def fraction(self, node: yaml.Node, what: str) -> float:
        try:
            value = float(self.text(node, what))
        except ValueError:
            value = -1.0
        if not 0 <= value < 1:
            raise self.fail(node, f"{what} must be a number from 0 up to (not including) 1")
        return value

    def comparison(self, root: yaml.Node | None) -> Comparison:
        top = self.mapping(root, "the file", ("tolerances", "changes"))
        values: dict[str, Any] = {}
        if "tolerances" in top:
            tolerances = self.mapping(top["tolerances"], "tolerances", ("approximate", "rounding_cap"))
            values = {name: self.fraction(node, name) for name, node in tolerances.items()}
        changes: list[ChangeCue] = []
        if "changes" in top:
            if not isinstance(top["changes"], yaml.SequenceNode):
                raise self.fail(top["changes"], "changes must be a list")
            for node in top["changes"].value:
                cue = self.change(node)
                if any(cue.name == other.name for other in changes):
                    raise self.fail(node, f"change {cue.name!r}: duplicate name")
                changes.append(cue)
        return Comparison(**values, changes=tuple(changes))

    def change(self, node: yaml.Node) -> ChangeCue:
        items = self.mapping(node, "a change", ("name", "before", "direction", "role", "examples"))
        for required in ("name", "before", "direction"):
            if required not in items:
                raise self.fail(node, f"a change needs {required!r}")
        name = self.text(items["name"], "name")
        direction = self.text(items["direction"], f"change {name!r}: direction")
        role = self.text(items["role"], f"change {name!r}: role") if "role" in items else "later"
        for value, choices, key in ((direction, DIRECTIONS, "direction"), (role, ROLES, "role")):
            if value not in choices:
                raise self.fail(items[key], f"change {name!r}: {key} must be one of {', '.join(choices)}")
        phrases = []
        for phrase in self.texts(items["before"], f"change {name!r}: before"):
            words = tuple(_fold(phrase).split())
            if not words or words[0] == "..." or words[-1] == "...":
                raise self.fail(items["before"], f"change {name!r}: '...' must stand between words")
            phrases.append(words)
        examples = self.texts(items["examples"], f"change {name!r}: examples") if "examples" in items else ()
        cue = ChangeCue(name, tuple(phrases), direction, role, examples)
        for example in examples:
            if example.count("[") != 1 or example.count("]") != 1 or example.index("[") > example.index("]"):
                raise self.fail(items["examples"], f"change {name!r}: example {example!r} needs one [figure]")
            before = example[: example.index("[")]
            if _match_change(_clause_before(before), (cue,)) is None:
                raise self.fail(items["examples"], f"change {name!r}: no phrase matches example {example!r}")
        return cue


# --------------------------------------------------------------------------
# Words around a figure


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _clause_before(text: str) -> list[str]:
    """The words of ``text`` after its last clause break, in order."""
    words = _words(text)
    for index in range(len(words) - 1, -1, -1):
        if words[index] in _CLAUSE_BREAKS:
            return words[index + 1 :]
    return words


def _clause_after(text: str) -> list[str]:
    words = _words(text)
    for index, word in enumerate(words):
        if word in _CLAUSE_BREAKS:
            return words[:index]
    return words


@dataclass(frozen=True)
class _Context:
    before: tuple[str, ...]  # words of the figure's clause before it
    after: tuple[str, ...]  # and after it


def _context(claim: Claim) -> _Context:
    """The clause around the claim's figure in its sentence.

    The sentence is stored with its spaces collapsed, so the figure is found
    again by its text; of several occurrences, the one with the claim's
    measure beside it wins, else the first.
    """
    figure = " ".join(claim.text.split())
    sentence = claim.sentence
    pattern = re.compile(r"(?<!\w)" + re.escape(figure) + r"(?!\w)", re.IGNORECASE)
    found = [(m.start(), m.end()) for m in pattern.finditer(sentence)]
    if not found:
        return _Context((), ())
    contexts = [_Context(tuple(_clause_before(sentence[:s])), tuple(_clause_after(sentence[e:]))) for s, e in found]
    measure = _fold(claim.measure or "").split()
    for context in contexts:
        if measure and _has(context.before + context.after, tuple(measure)):
            return context
    return contexts[0]


def _has(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    return any(words[i : i + len(phrase)] == phrase for i in range(len(words) - len(phrase) + 1))


def _phrase_at(words: Sequence[str], index: int, groups: Mapping[str, str]) -> tuple[str, int] | None:
    """The measure group of the longest lexicon phrase starting at ``index``."""
    for end in range(len(words), index, -1):
        group = groups.get(" ".join(words[index:end]))
        if group is not None:
            return group, end - index
    return None


def _nearest_group(words: Sequence[str], groups: Mapping[str, str]) -> str | None:
    """The group of the lexicon phrase nearest the end of ``words``."""
    for index in range(len(words) - 1, -1, -1):
        found = _phrase_at(words, index, groups)
        if found is not None:
            return found[0]
    return None


def _skip(words: Sequence[str], skip: Sequence[str]) -> list[str]:
    """``words`` without the leading words a measure may follow ("of the")."""
    rest = list(words)
    moved = True
    while moved and rest:
        moved = False
        for phrase in skip:  # longest first, as the rule loader orders them
            parts = phrase.split()
            if rest[: len(parts)] == parts:
                rest = rest[len(parts) :]
                moved = True
                break
    return rest


def _measure_and_subject(claim: Claim, context: _Context, lexicon: Lexicon) -> tuple[str, str | None]:
    """What the claim measures, after the lexicon, and what it counts.

    The extracted measure is usually right, but when it is the noun right
    after the figure and a measure word follows or precedes it ("300
    soldiers were killed", "killed 85 cattle") the figure measures that
    event, and the noun, unless a generic one like "people", is its subject.
    A measure the lexicon does not know ("reached" in "the death toll from
    the collapse reached 112") gives way to the lexicon word nearest before
    the figure in its clause.
    """
    groups = lexicon.groups
    measure = _fold(claim.measure or "")
    own = groups.get(measure)
    noun = measure.split()
    after = _skip(context.after, lexicon.skip)
    before = context.before[-lexicon.window :] if lexicon.window > 0 else ()
    if noun and after[: len(noun)] == noun:
        rest = after[len(noun) :]
        start = 0
        # "640 injured [people] in", "300 soldiers [were] killed"
        while start < len(rest) and (rest[start] in lexicon.auxiliaries or rest[start] in lexicon.generic_nouns):
            start += 1
        found = _phrase_at(rest, start, groups)
        event = found[0] if found is not None else _nearest_group(before, groups)
        counted = own or measure
        if event is None or event == counted:
            return counted, None
        return event, None if measure in lexicon.generic_nouns else counted
    if own is None:
        # "The death toll from the dam collapse reached 112": the whole clause.
        return _nearest_group(context.before, groups) or measure, None
    return own, None


def _match_change(before: Sequence[str], cues: Sequence[ChangeCue]) -> tuple[ChangeCue, str] | None:
    """The change cue whose phrase ends right before the figure, and its words."""
    for cue in cues:
        for phrase in cue.phrases:
            start = _phrase_end_match(list(before), phrase)
            if start is not None:
                return cue, " ".join(before[start:])
    return None


def _phrase_end_match(words: list[str], phrase: tuple[str, ...]) -> int | None:
    """Where ``phrase`` starts if it ends exactly at the end of ``words``."""
    if not phrase:
        return len(words)
    last = phrase[-1]
    if last == "...":
        for gap in range(1, _GAP + 1):
            if gap <= len(words):
                found = _phrase_end_match(words[: len(words) - gap], phrase[:-1])
                if found is not None:
                    return found
        return None
    if not words or words[-1] != last:
        return None
    return _phrase_end_match(words[:-1], phrase[:-1])


def find_change(sentence: str, figure: str, comparison: Comparison) -> str | None:
    """The name of the change wording right before ``figure`` in ``sentence``.

    >>> find_change("The toll rose to 150 on Thursday.", "150", load_comparison())
    'rose to <figure>'
    """
    at = sentence.find(figure)
    if at < 0:
        return None
    found = _match_change(_clause_before(sentence[:at]), comparison.changes)
    return found[0].name if found else None


# --------------------------------------------------------------------------
# Reading claims as intervals


def _number(value: Any) -> float | None:
    # bool is an int subclass but never a figure.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _raw_interval(claim: Claim) -> tuple[float | None, float | None] | None:
    """The claim's interval as recorded, or None when it has no number at all."""
    if claim.low is None and claim.high is None:
        value = _number(claim.value)
        return None if value is None else (value, value)
    low, high = _number(claim.low), _number(claim.high)
    if (claim.low is not None and low is None) or (claim.high is not None and high is None):
        return None
    if low is not None and high is not None and low > high:
        low, high = high, low
    return low, high


def rounding(text: str, value: float, cap: float) -> float:
    """Half a unit of the last significant digit of the figure as written.

    The written digits give the precision and the value gives the scale, so
    "1.2 billion" allows 0.05 billion either way. Trailing zeros of a whole
    number count as rounding, but never for more than ``cap`` of the value.
    A figure written in words ("two-thirds") is taken as exact.

    >>> rounding("$1.2bn", 1.2e9, 0.05)
    50000000.0
    >>> rounding("300", 300, 0.05)
    15.0
    >>> rounding("112", 112, 0.05)
    0.5
    """
    digits = _DIGITS.search(text)
    if digits is None or value == 0:
        return 0.0
    written = digits.group().replace(",", "")
    mantissa = float(written)
    if mantissa == 0:
        return 0.0
    if "." in written:
        unit = 10.0 ** -len(written.partition(".")[2])
    else:
        unit = 10.0 ** (len(written) - len(written.rstrip("0")))
    half = 0.5 * unit * abs(value) / mantissa
    return min(half, cap * abs(value))


def reading(claim: Claim, comparison: Comparison) -> tuple[float | None, float | None] | None:
    """The interval a claim allows, in its own unit, tolerances applied.

    "at least 300" -> (300, None); "about 4,500" -> (4050, 4950);
    "nearly 10" -> (9, 10); "1.2 billion" -> (1.15e9, 1.25e9).
    """
    interval = _raw_interval(claim)
    if interval is None:
        return None
    low, high = interval
    value = _number(claim.value)
    point = low is not None and low == high
    if claim.approximate:
        if point:
            spread = max(abs(low) * comparison.approximate, rounding(claim.text, low, comparison.rounding_cap))
            return low - spread, low + spread
        # "nearly 10" has no written lower bound, but cannot mean 2.
        if low is None and high is not None:
            low = high - abs(high) * comparison.approximate
        elif high is None and low is not None:
            high = low + abs(low) * comparison.approximate
        return low, high
    if point and claim.qualifier is None and value is not None:
        # Rounding intervals are half-open (1.25 billion is written "1.3
        # billion"), so "1.2 billion" and "1.3 billion" must not touch.
        spread = rounding(claim.text, value, comparison.rounding_cap) * (1 - 1e-9)
        return low - spread, low + spread
    return low, high


# --------------------------------------------------------------------------
# Who gave a figure


@dataclass(frozen=True)
class _Origin:
    key: str  # equal keys are the same source
    name: str  # as shown


def _speaker_origins(claims: Sequence[Claim], lexicon: Lexicon) -> dict[str, _Origin]:
    """The independent source behind each attributed claim.

    Within one document: a mention built on an organisation word ("the
    agency", "disaster agency") is the organisation the document names in
    full with that word ("the National Disaster Agency"), and so is a
    speaker the sentence introduces with that word ("agency spokeswoman Mara
    Lindqvist"). A named person is known by surname everywhere, so "Petrov"
    and "Dr. Ilan Petrov" are one source. Any other mention whose words all
    belong to one longer mention ("governor" in "governor Tomas Ferreira")
    is that speaker. What remains unnamed ("residents", "a senior official")
    is a source of its own in each document.
    """
    org_words = frozenset(_fold(w) for w in lexicon.org_words)
    determiners = frozenset(_fold(w) for w in lexicon.determiners)
    common = org_words | determiners | lexicon.pronouns | lexicon.generic_nouns
    by_source: dict[str, list[Claim]] = {}
    for claim in claims:
        if claim.said_by and claim.said_by.strip():
            by_source.setdefault(claim.source, []).append(claim)

    origins: dict[str, _Origin] = {}
    for source_id, attributed in by_source.items():
        mentions = {c.id: _name_words(c.said_by or "", determiners) for c in attributed}
        full: dict[str, str] = {}  # folded full organisation name -> as written
        for words in mentions.values():
            capitals = [w for w in words if w[:1].isupper()]
            if len(capitals) >= 2 and any(_fold(w) in org_words for w in capitals):
                full.setdefault(_fold(" ".join(words)), " ".join(words))
        known: dict[str, _Origin] = {}
        vague: list[Claim] = []
        for claim in attributed:
            words = mentions[claim.id]
            if not words:
                continue  # "The" alone names no one: the article's own figure
            name = " ".join(words)
            folded = _fold(name)
            org = [w for w in folded.split() if w in org_words] or _org_before(claim, org_words)
            if folded in full:
                known[claim.id] = _Origin("org:" + folded, full[folded])
            elif org and len(matches := [f for f in sorted(full) if org[0] in f.split()]) == 1:
                known[claim.id] = _Origin("org:" + matches[0], full[matches[0]])
            elif not org and any(w[:1].isupper() and (i > 0 or _fold(w) not in common) for i, w in enumerate(words)):
                known[claim.id] = _Origin("person:" + _fold(words[-1]).rstrip("."), name)
            else:
                vague.append(claim)
        origins.update(known)
        for claim in vague:
            words = set(_fold(" ".join(mentions[claim.id])).split())
            keys = {
                origin.key
                for other, origin in known.items()
                if words and words < set(_fold(" ".join(mentions[other])).split())
            }
            name = " ".join(mentions[claim.id])
            if len(keys) == 1:
                key = keys.pop()
                origins[claim.id] = next(o for o in known.values() if o.key == key)
            else:
                origins[claim.id] = _Origin(f"unnamed:{source_id}:{_fold(name)}", name)
    return origins


def _org_before(claim: Claim, org_words: frozenset[str]) -> list[str]:
    """The organisation word right before the speaker in the sentence, if any."""
    at = claim.sentence.find(claim.said_by or "")
    if at <= 0:
        return []
    before = _words(claim.sentence[:at])
    return before[-1:] if before and before[-1] in org_words else []


def _name_words(mention: str, determiners: frozenset[str]) -> list[str]:
    words = mention.split()
    while words and _fold(words[0]) in determiners:
        words = words[1:]
    return words


# --------------------------------------------------------------------------
# Entries, figures and their relations


@dataclass(frozen=True)
class _Entry:
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
    origin: _Origin | None  # None: the article itself
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


def _entry(
    claim: Claim,
    ureg: pint.UnitRegistry,
    lexicon: Lexicon,
    comparison: Comparison,
    date: str | None,
    origin: _Origin | None,
    outlet: str,
    marked_same: frozenset[str] = frozenset(),
) -> _Entry | None:
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
    context = _context(claim)
    measure, subject = _measure_and_subject(claim, context, lexicon)
    return _Entry(
        claim=claim,
        key=(family, measure, dimension, subject or ""),
        low=low,
        high=high,
        own_low=own_low,
        own_high=own_high,
        unit=unit,
        date=date,
        change=_match_change(context.before, comparison.changes),
        origin=origin,
        outlet=outlet,
    )


def _compatible(a: _Entry, b: _Entry) -> bool:
    above = a.low is not None and b.high is not None and a.low > b.high
    below = b.low is not None and a.high is not None and b.low > a.high
    return not (above or below)


def _claim_dates(claims: Sequence[Claim], sources: Mapping[str, Source]) -> dict[str, str]:
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
    """The value of the date claim nearest ``claim`` in their sentence."""
    span = claim.span
    assert span is not None

    def distance(other: Claim) -> tuple[int, str]:
        assert other.span is not None
        return max(other.span.start - span.end, span.start - other.span.end, 0), other.id

    return str(min(dates, key=distance).value)


def _before(a: str, b: str) -> bool:
    """Whether date ``a`` is earlier than ``b`` at the precision both have."""
    size = min(len(a), len(b))
    return a[:size] < b[:size]


@dataclass
class _Figure:
    """Claims of a group that are all compatible with each other."""

    entries: list[_Entry]

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
                found.setdefault("outlet:" + _fold(entry.outlet), []).append(entry.outlet)
        return {key: _longest(names) for key, names in found.items()}

    @property
    def outlets(self) -> list[str]:
        return _outlets(self.entries)


def _longest(names: Iterable[str]) -> str:
    return min(names, key=lambda n: (-len(n), n))


def _outlets(entries: Iterable[_Entry]) -> list[str]:
    by_key: dict[str, list[str]] = {}
    for entry in entries:
        by_key.setdefault(_fold(entry.outlet), []).append(entry.outlet)
    return sorted((_longest(names) for names in by_key.values()), key=str.casefold)


def _sort_key(entry: _Entry) -> tuple[float, float, str]:
    low = entry.low if entry.low is not None else -math.inf
    high = entry.high if entry.high is not None else math.inf
    return (low, high, entry.claim.id)


def _figures(entries: Sequence[_Entry]) -> list[_Figure]:
    """Split a group into figures: each claim joins the first figure whose
    claims are all compatible with it, in the order of their lower bounds."""
    figures: list[_Figure] = []
    for entry in sorted(entries, key=_sort_key):
        home = next((f for f in figures if all(_compatible(entry, e) for e in f.entries)), None)
        if home is None:
            figures.append(_Figure([entry]))
        else:
            home.entries.append(entry)
    return figures


@dataclass(frozen=True)
class _Link:
    """How two figures of a group relate, when they cannot both hold."""

    lower: _Figure
    higher: _Figure
    pair: tuple[_Entry, _Entry]  # the claims that cannot both hold, lower first
    relation: str  # "conflicts" | "updates" | "resolved"
    earlier: _Figure | None = None  # for updates
    reason: str = ""  # for updates: why; for resolved: the note


def _link(a: _Figure, b: _Figure, resolved: Sequence[Decision]) -> _Link | None:
    pairs = [(x, y) for x in a.entries for y in b.entries if not _compatible(x, y)]
    if not pairs:
        return None
    x, y = min(pairs, key=lambda p: (p[0].claim.id, p[1].claim.id))
    if _sort_key(y) < _sort_key(x):
        x, y = y, x
    lower, higher = (a, b) if any(x is e for e in a.entries) else (b, a)
    ids = {e.claim.id for e in lower.entries}, {e.claim.id for e in higher.entries}
    for decision in resolved:
        if ids[0] & set(decision.claims) and ids[1] & set(decision.claims):
            return _Link(lower, higher, (x, y), "resolved", reason=decision.note)
    update = _update(lower, higher)
    if update is not None:
        earlier, reason = update
        return _Link(lower, higher, (x, y), "updates", earlier, reason)
    return _Link(lower, higher, (x, y), "conflicts")


def _update(lower: _Figure, higher: _Figure) -> tuple[_Figure, str] | None:
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
            return lower, _DATED_APART
        if _before(high_dates[-1], low_dates[0]):
            return higher, _DATED_APART
    return None


def _said_change(entry: _Entry) -> str:
    assert entry.change is not None
    return f"the wording “{entry.change[1]} {entry.claim.text}” says the figure changed"


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


def _label(figure: _Figure) -> str:
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


def _allows(entry: _Entry) -> str:
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
    whole = claim.kind == "count" and float(_number(claim.value) or 0.5).is_integer()
    if low == high or (whole and high - low <= 1 and not claim.approximate):
        return f"exactly {text}"  # a whole count written to its last digit
    return f"{text} ({_range(low, high, suffix)})"


def _in_unit_of(entry: _Entry, other: _Entry, ureg: pint.UnitRegistry) -> str:
    """`` (10 feet is 3.05 metres)``-style note when two claims use different units."""
    if entry.unit is None or other.unit is None or entry.unit == other.unit or entry.claim.value is None:
        return ""
    value = _number(entry.claim.value)
    if value is None:
        return ""
    converted = ureg.Quantity(value, entry.unit).to(other.unit).magnitude
    return f" ({' '.join(entry.claim.text.split())} is {compact_number(float(f'{converted:.4g}'))} {other.unit:~P})"


def _who(figure: _Figure) -> str:
    """"National Disaster Agency, via 4 outlets" or "Dr. Ilan Petrov, The Daily Ledger"."""
    outlets = figure.outlets
    names = [n for k, n in sorted(figure.origins().items(), key=lambda kv: kv[1].casefold()) if not k.startswith("outlet:")]
    if len(outlets) == 1:
        return ", ".join([*names, outlets[0]])
    return ", ".join([*names, f"via {len(outlets)} outlets"])


def _provenance(figure: _Figure) -> str:
    origins = sorted(figure.origins().values(), key=str.casefold)
    outlets = figure.outlets
    count = len(origins)
    sources = f"{count} independent source{'s' if count != 1 else ''} ({', '.join(origins)})"
    places = f"{len(outlets)} outlet{'s' if len(outlets) != 1 else ''} ({', '.join(outlets)})"
    if len(outlets) > count:
        return f"{_label(figure)}: {sources}, repeated by {places}."
    return f"{_label(figure)}: {sources} in {places}."


def _describe_claims(claim_ids: Sequence[str], entries: Mapping[str, _Entry]) -> str:
    parts = []
    for claim_id in claim_ids:
        entry = entries.get(claim_id)
        parts.append(f"{' '.join(entry.claim.text.split())} ({entry.outlet})" if entry else claim_id)
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def _decision_sentence(decision: Decision, entries: Mapping[str, _Entry]) -> str:
    claims = _describe_claims(decision.claims, entries)
    note = f": {decision.note}" if decision.note else "."
    if decision.decision == "same":
        return f"A person marked {claims} as the same figure{note}"
    if decision.decision == "not-same":
        return f"A person marked {claims} as different figures, never compared{note}"
    return ""  # "resolved" is worded with the conflict it resolves


def _explain(
    figures: Sequence[_Figure],
    links: Sequence[_Link],
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
        elif link.relation == "updates" and link.reason != _DATED_APART:
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
    dated = [link for link in links if link.relation == "updates" and link.reason == _DATED_APART]
    if dated:
        # One timeline rather than a sentence for every pair of dates.
        chain = {id(f): f for link in dated for f in (link.lower, link.higher)}
        ordered = sorted(chain.values(), key=lambda f: (f.dates, _sort_key(f.entries[0])))
        steps = [f"{_label(f)} ({_who(f)}{_dated(f)})" for f in ordered]
        sentences.append(
            f"Update, not a conflict: {steps[0]} was followed by {', then '.join(steps[1:])}; {_DATED_APART}."
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
    sentences += [_provenance(f) for f in sorted(figures, key=lambda f: _sort_key(f.entries[0]))]
    return sentences


def _dated(figure: _Figure) -> str:
    dates = figure.dates
    if not dates:
        return ""
    return f", {dates[0]}" if len(dates) == 1 else f", {dates[0]} to {dates[-1]}"


def _timeline(figures: Sequence[_Figure]) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    rows: dict[tuple[str, int], list[_Entry]] = {}
    for index, figure in enumerate(figures):
        for entry in figure.entries:
            if entry.date:
                rows.setdefault((entry.date, index), []).append(entry)
    timeline = []
    for (date, index), entries in rows.items():
        part = _Figure(entries)
        timeline.append((date, f"{_label(figures[index])} ({_who(part)})", tuple(sorted(e.claim.id for e in entries))))
    return tuple(sorted(timeline))


# --------------------------------------------------------------------------
# Groups


def _group_id(claim_ids: Iterable[str]) -> str:
    digest = hashlib.sha1("\n".join(sorted(claim_ids)).encode("utf-8")).hexdigest()
    return "g-" + digest[:8]


def _common(values: Iterable[str]) -> str:
    """The most frequent value, ties broken alphabetically."""
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v))


def _make_group(
    key: tuple[str, str, str, str],
    entries: Sequence[_Entry],
    decisions: Sequence[Decision],
    notes: Sequence[str],
    every_entry: Mapping[str, _Entry],
    ureg: pint.UnitRegistry,
) -> FigureGroup:
    entries = sorted(entries, key=lambda e: e.claim.id)
    claim_ids = tuple(e.claim.id for e in entries)
    mine = [d for d in decisions if set(d.claims) & set(claim_ids)]
    figures = _figures(entries)
    resolved = [d for d in mine if d.decision == "resolved"]
    links = [link for a, b in combinations(figures, 2) if (link := _link(a, b, resolved)) is not None]
    links.sort(key=lambda l: ({"conflicts": 0, "updates": 1, "resolved": 2}[l.relation], _sort_key(l.pair[0])))
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
    sentences = _explain(figures, links, ureg)
    sentences += [s for d in mine if (s := _decision_sentence(d, every_entry))]
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
        outlets=tuple(_outlets(entries)),
        independent_sources=len(origins),
        origins=tuple(sorted(origins.values(), key=str.casefold)),
        timeline=_timeline(figures) if len(figures) > 1 else (),
        decisions=tuple(mine),
        relations=_relations(entries, figures, links),
    )


def _relations(
    entries: Sequence[_Entry], figures: Sequence[_Figure], links: Sequence[_Link]
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
        if not _compatible(a, b):
            figures_ab = tuple(sorted((figure_of[id(a)], figure_of[id(b)])))
            pairs.append((a.claim.id, b.claim.id, between.get(figures_ab, "conflicts")))
        elif a.claim.source != b.claim.source:
            pairs.append((a.claim.id, b.claim.id, "agrees"))
    return tuple(pairs)


def group_order(group: FigureGroup) -> tuple[int, str, str]:
    """Sort key: conflicts, updates, shared, single; then by measure and id."""
    return (STATUS_ORDER.get(group.status, len(STATUS_ORDER)), group.measure or "", group.id)


def _apply_same(
    buckets: dict[tuple[str, str, str, str], list[_Entry]], decisions: Sequence[Decision]
) -> tuple[dict[tuple[str, str, str, str], list[_Entry]], dict[str, list[str]]]:
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


def _apply_not_same(entries: list[_Entry], decisions: Sequence[Decision]) -> list[list[_Entry]]:
    """Split a group so the claims a person marked as different figures part.

    Each listed claim leads a group of its own; every other claim goes with
    the first listed claim it forms a figure with, else the first listed
    claim it is compatible with, else the first listed claim.
    """
    parts = [entries]
    for decision in decisions:
        if decision.decision != "not-same":
            continue
        split: list[list[_Entry]] = []
        for part in parts:
            present = {e.claim.id: e for e in part}
            listed = [present[c] for c in dict.fromkeys(decision.claims) if c in present]
            if len(listed) < 2:
                split.append(part)
                continue
            homes: dict[str, list[_Entry]] = {e.claim.id: [e] for e in listed}
            figures = _figures(part)
            for entry in part:
                if entry.claim.id in homes:
                    continue
                mates = next(f.entries for f in figures if entry in f.entries)
                leader = next((x for x in listed if x in mates), None)
                leader = leader or next((x for x in listed if _compatible(entry, x)), listed[0])
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
    dates = _claim_dates(claims, by_source)
    speakers = _speaker_origins(claims, lexicon)
    marked_same = frozenset(c for d in decisions if d.decision == "same" for c in d.claims)
    buckets: dict[tuple[str, str, str, str], list[_Entry]] = {}
    for claim in claims:
        source = by_source.get(claim.source)
        outlet = source.outlet if source is not None and source.outlet else claim.source
        origin = speakers.get(claim.id)
        entry = _entry(claim, ureg, lexicon, comparison, dates.get(claim.id), origin, outlet, marked_same)
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
    edges = sorted(
        graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))
    )
    for u, v, key, data in edges:
        ordered.add_edge(u, v, key=key, **_attrs(**{k: data[k] for k in sorted(data)}))
    return ordered


def write_graphml(graph: nx.MultiDiGraph, path: Path | str) -> None:
    """Write ``graph`` as GraphML, atomically and byte-for-byte reproducibly."""
    import networkx as nx

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
