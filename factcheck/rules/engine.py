"""The rules engine: text in, ``Match``es with spans and parts out.

``compile_rules`` turns a ``RuleSet`` into a ``Matcher`` once per scan; the
matcher holds only compiled regular expressions and lookup tables built from
the rule data. Nothing here knows a particular word: every word comes from
the YAML files.

Steps, in order: pattern candidates (longest wins, then the rule listed
first) -> idioms drop what they cover -> ranges join two figures ->
qualifiers widen the span and set the interval -> measures and latency.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Iterable, Sequence

from factcheck.model import Match, Span
from factcheck.rules.definitions import PatternRule, QualifierRule, RangeRule, RuleSet

# Whitespace inside a figure may wrap a line but never cross a blank line.
_SPACE = r"(?:[ \t\u00a0]*\r?\n[ \t\u00a0]*|[ \t\u00a0]+)"
_OPT_SPACE = r"(?:[ \t\u00a0]*\r?\n?[ \t\u00a0]*)"
_LEFT_EDGE = r"(?<!\w)(?<!\d[.,])(?<![A-Za-z]-)"
_RIGHT_EDGE = r"(?!\w)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
_CLAUSE_STOP = re.compile(r"[.;:!?()\"\u201c\u201d]|\n\s*\n")
# Looking back for a measure verb, a comma ends the clause too: in "was
# spent, up to 40 km/h" the verb belongs to another figure.
_CLAUSE_STOP_BEFORE = re.compile(r"[,.;:!?()\"\u201c\u201d]|\n\s*\n")


def _alternation(words: Iterable[str], *, spaced: bool = True) -> str:
    """Regex alternation of phrases, longest first so the longest one wins."""
    unique = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    parts = []
    for word in unique:
        escaped = re.escape(word)
        if spaced:
            escaped = escaped.replace(r"\ ", _SPACE)
        parts.append(escaped)
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


def _bounded(words: Iterable[str]) -> str:
    """Alternation where letter-edged phrases must stand as whole words."""
    unique = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    parts = []
    for word in unique:
        piece = re.escape(word).replace(r"\ ", _SPACE)
        if word[0].isalnum():
            piece = r"(?<![A-Za-z])" + piece
        if word[-1].isalnum():
            piece += r"(?![A-Za-z])"
        if len(word) <= 2 and word.isalpha():
            # One- and two-letter symbols are case-sensitive: "M" is not "m".
            piece = f"(?-i:{piece})"
        parts.append(piece)
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    order: int  # position of the pattern in the rule list: lower wins ties
    rule: PatternRule
    groups: dict[str, str]


class Matcher:
    """Compiled rules. Build with ``compile_rules``; use ``find_matches``."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        numbers = rules.numbers
        self._number_value = {**numbers.units, **numbers.tens}
        self._scales = numbers.scales
        self._hundred = set(numbers.hundred)
        self._articles = set(numbers.articles)
        self._currency_by_surface: dict[str, str] = {}
        for currency in rules.currencies:
            for surface in currency.symbols + currency.words:
                self._currency_by_surface.setdefault(_fold(surface), currency.code)
        self._unit_by_surface: dict[str, str] = {}
        for surfaces in rules.durations + rules.quantities:
            for word in surfaces.words:
                self._unit_by_surface.setdefault(_fold(word), surfaces.unit)
        self._month_number = rules.calendar.months
        self._classes = self._build_classes()
        self._patterns = [
            (index, rule, re.compile(self._expand(rule.pattern), re.IGNORECASE))
            for index, rule in enumerate(rules.patterns)
        ]
        self._idioms = re.compile(
            r"(?<!\w)" + _alternation(i.phrase for i in rules.idioms) + r"(?!\w)", re.IGNORECASE
        )
        self._qualifiers_before = self._qualifier_regex(rules.qualifiers, "before")
        self._qualifiers_after = self._qualifier_regex(rules.qualifiers, "after")
        self._qualifier_rules: dict[tuple[str, str], list[QualifierRule]] = {}
        for rule in rules.qualifiers:
            for side in ("before", "after"):
                for phrase in getattr(rule, side):
                    self._qualifier_rules.setdefault((side, _fold(phrase)), []).append(rule)
        self._ranges = [(rule, self._range_regexes(rule)) for rule in rules.ranges]

    def _build_classes(self) -> dict[str, str]:
        numbers = self.rules.numbers
        unit_words = _alternation(list(numbers.units))
        tens = _alternation(list(numbers.tens))
        below_hundred = rf"(?:{tens}(?:[-\u2010 ]{unit_words})?|{unit_words})"
        hundred = _alternation(numbers.hundred)
        articles = _alternation(numbers.articles)
        below_thousand = (
            rf"(?:(?:{below_hundred}|{articles}){_SPACE}{hundred}"
            rf"(?:{_SPACE}(?:and{_SPACE})?{below_hundred})?|{below_hundred})"
        )
        spaced_scales = _alternation(w for w, s in numbers.scales.items() if not s.attached)
        attached_scales = _alternation(numbers.scales)
        scale_chain = rf"(?:(?:{_SPACE}|-){spaced_scales}(?![A-Za-z]))*"
        words = (
            rf"{below_thousand}(?:{_SPACE}{spaced_scales}(?:{_SPACE}(?:and{_SPACE})?{below_thousand})?)*"
        )
        number = (
            rf"(?:{_DIGITS}(?:{attached_scales}(?![A-Za-z]))?{scale_chain}"
            rf"|(?<![A-Za-z]){words}(?![A-Za-z])"
            rf"|(?<![A-Za-z]){articles}{_SPACE}{spaced_scales}(?![A-Za-z]){scale_chain})"
        )
        currency_symbols = [s for c in self.rules.currencies for s in c.symbols]
        currency_words = [w for c in self.rules.currencies for w in c.words]
        return {
            "number": number,
            "vague": r"(?<![A-Za-z])" + _alternation(numbers.vague) + r"(?![A-Za-z])",
            "fraction": r"(?<![A-Za-z])" + _alternation(numbers.fractions) + r"(?![A-Za-z])",
            "ordinal": r"(?:\d+(?:st|nd|rd|th)|(?<![A-Za-z])"
            + _alternation(numbers.ordinals)
            + r")(?![A-Za-z])",
            "currency_symbol": _bounded(currency_symbols),
            "currency_word": _bounded(currency_words),
            "percent_word": _bounded(self.rules.percent_words),
            "duration_word": _bounded(w for d in self.rules.durations for w in d.words),
            "unit_word": _bounded(w for q in self.rules.quantities for w in q.words),
            "month": "(?-i:" + _alternation(self.rules.calendar.months) + r")(?![A-Za-z])",
            "day": r"(?:3[01]|[12]\d|0?[1-9])(?!\d)",
            "year": r"\d{4}(?!\d)",
        }

    def _expand(self, pattern: str) -> str:
        counts: dict[str, int] = {}

        def placeholder(match: re.Match[str]) -> str:
            name = match.group(1)
            counts[name] = counts.get(name, 0) + 1
            return f"(?P<{name}_{counts[name]}>{self._classes[name]})"

        # Spaces first: the class expansions hold spaces of their own.
        body = pattern.replace(" ", _SPACE).replace("~", _OPT_SPACE)
        body = re.sub(r"\{([a-z_]+)\}", placeholder, body)
        return _LEFT_EDGE + "(?:" + body + ")" + _RIGHT_EDGE

    @staticmethod
    def _qualifier_regex(rules: Sequence[QualifierRule], side: str) -> re.Pattern[str]:
        phrases = _alternation(p for r in rules for p in getattr(r, side))
        if side == "before":
            return re.compile(rf"(?<![\w$])({phrases}){_SPACE}\Z", re.IGNORECASE)
        return re.compile(rf"(?:,?{_SPACE})({phrases})(?!\w)", re.IGNORECASE)

    @staticmethod
    def _range_regexes(rule: RangeRule) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
        joiner = re.compile(rf"\A{_OPT_SPACE}{_alternation(rule.joiners)}{_OPT_SPACE}\Z", re.IGNORECASE)
        before = (
            re.compile(rf"(?<!\w){_alternation(rule.before)}{_SPACE}\Z", re.IGNORECASE)
            if rule.before
            else None
        )
        return joiner, before

    def find_matches(self, text: str, spans: Sequence[Span] | None = None) -> list[Match]:
        """Find every figure in ``text``, only inside ``spans`` when given.

        >>> from factcheck.rules import load_rules
        >>> matcher = compile_rules(load_rules())
        >>> [m.span.slice(t) for t in ["a war that has killed more than 290,000"]
        ...  for m in matcher.find_matches(t)]
        ['more than 290,000']
        """
        regions = list(spans) if spans is not None else [Span(0, len(text))]
        found: list[Match] = []
        for region in regions:
            candidates = self._select(self._candidates(text, region))
            candidates = self._drop_idioms(text, region, candidates)
            matches = [m for m in (self._to_match(text, c) for c in candidates) if m is not None]
            matches = self._join_ranges(text, region, matches)
            matches = [self._qualify(text, region, m) for m in matches]
            found.extend(self._finish(text, region, m) for m in matches)
        return found

    def _candidates(self, text: str, region: Span) -> list[_Candidate]:
        out = []
        for order, rule, regex in self._patterns:
            for found in regex.finditer(text, region.start, region.end):
                if found.end() == found.start():
                    continue
                if rule.preceded_by and _word_before(text, found.start()) not in rule.preceded_by:
                    continue
                groups = {k: v for k, v in found.groupdict().items() if v is not None}
                out.append(_Candidate(found.start(), found.end(), order, rule, groups))
        return out

    @staticmethod
    def _select(candidates: list[_Candidate]) -> list[_Candidate]:
        chosen: list[_Candidate] = []
        taken: list[tuple[int, int]] = []
        for cand in sorted(candidates, key=lambda c: (c.start - c.end, c.order, c.start)):
            if any(cand.start < end and start < cand.end for start, end in taken):
                continue
            chosen.append(cand)
            taken.append((cand.start, cand.end))
        return sorted(chosen, key=lambda c: c.start)

    def _drop_idioms(self, text: str, region: Span, candidates: list[_Candidate]) -> list[_Candidate]:
        idioms = [m.span() for m in self._idioms.finditer(text, region.start, region.end)]
        if not idioms:
            return candidates
        return [c for c in candidates if not any(s <= c.start < e for s, e in idioms)]

    def _to_match(self, text: str, cand: _Candidate) -> Match | None:
        rule, groups = cand.rule, cand.groups
        value: float | str | None = rule.value
        value_high = None
        unit = None
        try:
            if rule.kind == "date":
                value = self._date_value(groups)
                if value is None:
                    return None
            elif "vague_1" in groups:
                vague = self.rules.numbers.vague[_fold(groups["vague_1"])]
                value, value_high = _plain(vague.low), _plain(vague.high)
            elif "ordinal_1" in groups:
                value = self._ordinal_value(groups["ordinal_1"])
            elif "fraction_1" in groups:
                whole = self.parse_number(groups["number_1"]) if "number_1" in groups else Decimal(1)
                fraction = Decimal(str(self.rules.numbers.fractions[_fold(groups["fraction_1"])]))
                value = _plain(whole * fraction)
            elif "number_1" in groups:
                value = _plain(self.parse_number(groups["number_1"]))
        except (KeyError, InvalidOperation, ValueError):
            return None
        for key in ("currency_symbol_1", "currency_word_1"):
            if key in groups:
                unit = self._currency_by_surface.get(_fold(groups[key]))
        for key in ("duration_word_1", "unit_word_1"):
            if key in groups:
                unit = self._unit_by_surface.get(_fold(groups[key]))
        if "percent_word_1" in groups:
            unit = "percent"
        latent = rule.latent or self._latent_word(groups)
        return Match(
            span=Span(cand.start, cand.end),
            rule=rule.name,
            kind=rule.kind,
            value=value,
            value_high=value_high,
            unit=unit,
            measure=rule.measure,
            latent=latent,
        )

    def _latent_word(self, groups: dict[str, str]) -> bool:
        """Amounts written so loosely that only context can make them claims."""
        if set(groups) == {"vague_1"}:
            return self.rules.numbers.vague[_fold(groups["vague_1"])].latent
        if set(groups) == {"number_1"}:
            return _fold(groups["number_1"]) in self.rules.numbers.latent_alone
        return False

    def parse_number(self, written: str) -> Decimal:
        """The value of a number as written: "290,000", "1.2 million", "twenty-five".

        >>> from factcheck.rules import load_rules
        >>> compile_rules(load_rules()).parse_number("three million five hundred thousand")
        Decimal('3500000')
        """
        total = Decimal(0)
        current = Decimal(0)
        seen = False
        for token in re.findall(r"\d[\d,]*(?:\.\d+)?|\.\d+|[A-Za-z]+", written):
            word = token.lower()
            if token[0].isdigit() or token[0] == ".":
                current += Decimal(token.replace(",", ""))
            elif word in self._number_value:
                current += Decimal(str(self._number_value[word]))
            elif word in self._hundred:
                current = (current or Decimal(1)) * 100
            elif word in self._scales:
                current = (current or Decimal(1)) * Decimal(str(self._scales[word].value))
                if self._scales[word].value >= 1000:
                    total += current
                    current = Decimal(0)
            elif word in self._articles:
                current += Decimal(1)
            elif word == "and":
                continue
            else:
                raise ValueError(f"not a number word: {token!r}")
            seen = True
        if not seen:
            raise ValueError(f"no number in {written!r}")
        return total + current

    def _ordinal_value(self, written: str) -> float:
        digits = re.match(r"\d+", written)
        if digits:
            return int(digits.group())
        return _plain(Decimal(str(self.rules.numbers.ordinals[_fold(written)])))

    def _date_value(self, groups: dict[str, str]) -> str | None:
        year = int(groups["year_1"]) if "year_1" in groups else None
        first, last = self.rules.calendar.year_range
        if year is not None and not first <= year <= last:
            return None
        month = self._month_number.get(groups["month_1"]) if "month_1" in groups else None
        day = int(groups["day_1"]) if "day_1" in groups else None
        if day is not None and month is not None:
            _dt.date(year or 2000, month, day)  # raises ValueError for 31 June
            return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
        if month is not None:
            return f"{year:04d}-{month:02d}" if year else f"--{month:02d}"
        return f"{year:04d}" if year is not None else None

    def _join_ranges(self, text: str, region: Span, matches: list[Match]) -> list[Match]:
        out: list[Match] = []
        i = 0
        while i < len(matches):
            first = matches[i]
            second = matches[i + 1] if i + 1 < len(matches) else None
            joined = self._range(text, region, first, second) if second else None
            if joined:
                out.append(joined)
                i += 2
            else:
                out.append(first)
                i += 1
        return out

    def _range(self, text: str, region: Span, first: Match, second: Match) -> Match | None:
        if isinstance(first.value, str) != isinstance(second.value, str):
            return None
        compatible = first.kind == second.kind or (first.kind == "count" and first.unit is None)
        if not compatible or first.value_high is not None or second.value_high is not None:
            return None
        between = text[first.span.end : second.span.start]
        for rule, (joiner, before) in self._ranges:
            if not joiner.match(between):
                continue
            start = first.span.start
            if before is not None:
                lead = before.search(text, region.start, first.span.start)
                if lead is None:
                    continue
                start = lead.start()
            low, high = first.value, second.value
            if not isinstance(low, str):
                low = self._inherit_scale(text, first, second)
                if low > high:
                    continue
            elif low > high:
                continue
            return Match(
                span=Span(start, second.span.end),
                rule=f"{rule.name} / {second.rule}",
                kind=second.kind,
                value=low,
                value_high=high,
                unit=second.unit or first.unit,
                qualifier="between",
                qualifier_low="value",
                qualifier_high="high_value",
                measure=second.measure,
            )
        return None

    def _inherit_scale(self, text: str, first: Match, second: Match) -> float:
        """'between 3 and 4 million': the first end takes the second's scale."""
        low = first.value
        first_text = first.span.slice(text)
        second_text = second.span.slice(text)
        scales = [w for w in re.findall(r"[A-Za-z]+", second_text) if w.lower() in self._scales]
        own = [w for w in re.findall(r"[A-Za-z]+", first_text) if w.lower() in self._scales]
        if scales and not own and re.search(r"\d", first_text):
            scaled = _plain(Decimal(str(low)) * Decimal(str(self._scales[scales[-1].lower()].value)))
            if scaled <= second.value:
                return scaled
        return low

    def _qualify(self, text: str, region: Span, match: Match) -> Match:
        if match.qualifier is not None:
            return match
        lead = self._qualifiers_before.search(text, max(region.start, match.span.start - 40), match.span.start)
        if lead:
            rule = self._qualifier_for("before", lead.group(1), match.kind)
            if rule:
                return self._apply(match, rule, Span(lead.start(1), match.span.end))
        tail = self._qualifiers_after.match(text, match.span.end, min(region.end, match.span.end + 40))
        if tail:
            rule = self._qualifier_for("after", tail.group(1), match.kind)
            if rule:
                return self._apply(match, rule, Span(match.span.start, tail.end(1)))
        return match

    def _qualifier_for(self, side: str, phrase: str, kind: str) -> QualifierRule | None:
        for rule in self._qualifier_rules.get((side, _fold(phrase)), []):
            if rule.applies_to(kind):
                return rule
        return None

    @staticmethod
    def _apply(match: Match, rule: QualifierRule, span: Span) -> Match:
        return replace(
            match,
            span=span,
            rule=f"{rule.name} / {match.rule}",
            qualifier=rule.qualifier,
            qualifier_low=rule.low,
            qualifier_high=rule.high,
            approximate=rule.approximate,
            latent=False,
        )

    def _finish(self, text: str, region: Span, match: Match) -> Match:
        measure, measure_span = (match.measure, None) if match.measure else self._measure(text, region, match)
        latent = match.latent
        if match.kind == "date":
            latent = latent and match.qualifier is None
        elif match.kind in ("count", "ordinal", "fraction") and match.qualifier is None:
            latent = latent or (measure is None and match.value_high is None)
        return replace(match, measure=measure, measure_span=measure_span, latent=latent)

    def _measure(self, text: str, region: Span, match: Match) -> tuple[str | None, Span | None]:
        if match.kind == "date":
            return None, None
        lexicon = self.rules.measures
        stop = _CLAUSE_STOP.search(text, match.span.end, region.end)
        limit = min(stop.start() if stop else region.end, match.span.end + 120)
        after = [(m.group(), m.start()) for m in _WORD.finditer(text, match.span.end, limit)][:6]
        if after and text[match.span.end : after[0][1]].strip(" \t\n-"):
            after = []  # a comma or figure stands between: the next word is not ours
        i = 0
        while i < len(after) and after[i][0].lower() in lexicon.skip_after:
            i += 1
        if i < len(after):
            word, start = after[i]
            lowered = word.lower()
            is_noun = (
                word[0].islower()
                and lowered not in lexicon.not_measures
                and lowered not in self._number_value
                and lowered not in self._scales
            )
            if is_noun and lowered not in lexicon.generic_nouns:
                return lowered, Span(start, start + len(word))
            if is_noun:
                # "112 people died", "killed 112 people": the verb says more.
                for verb, verb_start in after[i + 1 : i + 5]:
                    if verb.lower() in lexicon.verbs_before:
                        return verb.lower(), Span(verb_start, verb_start + len(verb))
                    if verb.lower() not in lexicon.auxiliaries:
                        break
                verb_before = self._verb_before(text, region, match)
                return verb_before if verb_before[0] else (lowered, Span(start, start + len(word)))
        if match.kind in ("duration", "ordinal"):
            return None, None  # "injured 640 in 48 hours": the verb is not the duration's
        return self._verb_before(text, region, match)

    def _verb_before(self, text: str, region: Span, match: Match) -> tuple[str | None, Span | None]:
        lexicon = self.rules.measures
        window_start = max(region.start, match.span.start - 80)
        before_stop = None
        for before_stop in _CLAUSE_STOP_BEFORE.finditer(text, window_start, match.span.start):
            pass
        if before_stop is not None:
            window_start = before_stop.end()
        before = [(m.group(), m.start()) for m in _WORD.finditer(text, window_start, match.span.start)]
        for word, start in reversed(before[-lexicon.window_before :]):
            if word.lower() in lexicon.verbs_before or word.lower() in lexicon.nouns_before:
                return word.lower(), Span(start, start + len(word))
        return None, None


def _word_before(text: str, position: int) -> str:
    found = re.search(r"([A-Za-z]+)[\s\-]*\Z", text[max(0, position - 30) : position])
    return found.group(1).lower() if found else ""


def _fold(surface: str) -> str:
    return " ".join(surface.lower().split())


def _plain(number: Decimal | float) -> float:
    """An int when the number is whole (290000, not 290000.0), else a float."""
    as_decimal = Decimal(str(number)) if not isinstance(number, Decimal) else number
    if as_decimal == as_decimal.to_integral_value():
        return int(as_decimal)
    return float(as_decimal)


def compile_rules(rules: RuleSet) -> Matcher:
    """Compile a ``RuleSet`` once; the ``Matcher`` can then scan many texts."""
    return Matcher(rules)
