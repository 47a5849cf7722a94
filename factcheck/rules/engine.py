"""The rules engine: text in, ``Match``es with spans and parts out.

``compile_rules`` turns a ``RuleSet`` into a ``Matcher`` once per scan; the
matcher holds only compiled regular expressions and lookup tables built from
the rule data. Nothing here knows a particular word: every word comes from
the YAML files.

Steps, in order: pattern candidates (a candidate whose value makes no sense,
such as the year 1000, is dropped before it can shadow another) -> idioms and
non-figures drop what they cover -> the longest candidate wins, then the rule
listed first -> ranges join two figures -> qualifiers widen the span and set
the interval -> rates ("per hour") extend the unit -> nouns, measures and
latency.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import itertools
import re
import sys
from dataclasses import fields
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Sequence

from factcheck.compiled import cached_regex
from factcheck.model import Match, Span, datatype
from factcheck.rules.definitions import PatternRule, QualifierRule, RangeRule, RuleSet
from factcheck.rules.prefilter import DEPTH, OpeningIndex, TokenGate, first_strings

# Whitespace inside a figure may wrap a line but never cross a blank line.
_SPACE = r"(?:[ \t\u00a0]*\r?\n[ \t\u00a0]*|[ \t\u00a0]+)"
_OPT_SPACE = r"(?:[ \t\u00a0]*\r?\n?[ \t\u00a0]*)"
# The same, for text read backwards ("\n\r" is a line break there).
_SPACE_BACKWARDS = r"(?:[ \t\u00a0]*\n\r?[ \t\u00a0]*|[ \t\u00a0]+)"
_OPT_SPACE_BACKWARDS = r"(?:[ \t\u00a0]*\n?\r?[ \t\u00a0]*)"
# A figure never starts inside a word, a decimal, a model name ("F-16",
# "Su-24") or a clock time or score ("4:39"), and never ends inside one
# either. After a hyphen it may start when a unit ("5m-$7m") or a short
# lower-case word ("sub-7", "now-18", "under-18s") stands before it.
_LEFT_EDGE = (
    r"(?<!\w)(?<!\d[.,])(?<!\d:)"
    r"(?:(?<![A-Za-z]-)|(?<=\d[A-Za-z]-)|(?<=\d[A-Za-z]{2}-)"
    # "top-10", "Under-18s", but not an acronym's number: "GLP-1", "ABC-123"
    r"|(?-i:(?<=[A-Za-z][a-z]{2}-)(?<![A-Za-z]{4}-)|(?<=[A-Za-z][a-z]{3}-)(?<![A-Za-z]{5}-)"
    r"|(?<=[A-Za-z][a-z]{4}-)(?<![A-Za-z]{6}-)))"
)
# A figure ending in a mark may have digits right after it, as the next
# part of a measurement: "6′2″". Letters there are a word ("2022′s").
_RIGHT_EDGE = r"(?:(?!\w)|(?<!\w)(?=\d))(?!:\d)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_SLASH_FRACTION = r"\d+[/\u2044]\d+(?![/\u2044]?\d)"
# A power of ten after the digits: "6.02 x 10^23", "3×10⁸", "1.6e-19", and
# "2.5×10−7", a superscript written on the line with its sign. Without a
# caret, a sign or a superscript "4 x 100" is a product, not 4×10^0. A
# superscript digit is a word character that is not ASCII: a class listing
# the ten would cost each pattern a 65,536-entry table.
_TIMES = r"[\u00d7xX*\u00b7]"  # the signs between digits and their power of ten
_EXPONENT = (
    rf"(?:[ \t\u00a0]?{_TIMES}[ \t\u00a0]?10"
    r"(?:(?:\^|\*\*)[-\u2212+]?\d{1,3}|[-\u2212]\d{1,3}|[\u207b\u207a]?(?:(?![0-9A-Za-z_])\w){1,3})(?![\d.,])"
    r"|[eE][-\u2212+]?\d{1,3}(?![\w.,]))"
)
# The same, split: the mantissa, then the power as written after "10" or "e".
_POWERED = cached_regex(rf"(?P<mantissa>.*?\d)\s?(?:{_TIMES}\s?10(?:\^|\*\*)?|[eE])(?P<power>\S{{1,4}})")
_POWER_DIGITS = str.maketrans("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b\u207a\u2212", "0123456789-+-")
# After a change verb, "rose 2 to 3 percent" is a range of the change, but
# when the second end is this many times the first, it is the level the
# change led to: "rose by 14,000 to 230,000".
_CHANGE_TO_LEVEL = 5
_SLASHED = cached_regex(r"(\d+)[/\u2044](\d+)")
_RESTATING = cached_regex(r"[ \t\u00a0]+or[ \t\u00a0]+")
_SHORT_WORD_END = cached_regex(r"(?<![A-Za-z])[A-Za-z]{1,3}\Z")  # "ft", "in", "hr": a unit written short
_WORD = cached_regex(r"[A-Za-z][A-Za-z'\u2019-]*")
_TOKEN_START = cached_regex(r"(?<=[\s\-\u2010\u2014])\w")
# A point or comma between digits ("5.1", "1,200") is part of a number.
# Matched as "[;:!?()\"“”]|(?<!\d)\.|\.(?!\d)|\n\s*\n" would be, but it opens
# with the set of its first characters, which the regex engine then scans
# for instead of trying the whole pattern at every character.
_CLAUSE_STOP = cached_regex(
    r"[;:!?()\"\u201c\u201d.\n](?:(?<=[;:!?()\"\u201c\u201d])|(?<=\.)(?:(?<!\d\.)|(?!\d))|(?<=\n)\s*\n)"
)
# Looking back for a measure verb, a comma ends the clause too, and so does
# a joining word of measures.yaml (see Matcher._clause_stop_before): in "was
# spent, up to 40 km/h" and "up 0.2% and the S&P 500" the verb belongs to
# another figure.
_CLAUSE_STOP_BEFORE = r"[;:!?()\"\u201c\u201d]|(?<!\d)[,.]|[,.](?!\d)|\n\s*\n"
_NAME_BEFORE = cached_regex(r"(?<![\w&])([A-Za-z&]*[A-Z][\w&]*)[ \t]+\Z")
_LEADING_DIGITS = cached_regex(r"[-\u2212]?[\d.,]*\d")
# The kinds of figure that may count a part of a counted whole: "four of
# the 12 ministers", "half of the 300 staff", "30% of the 500 workers".
_PARTS = ("count", "fraction", "percent")
_WORD_OR_DOLLAR = cached_regex(r"[\w$]")
# A word past spaces and hyphens: read forwards by _word_after, and on the
# text reversed by _word_before.
_SPACED_WORD = cached_regex(r"[\s\-]*([A-Za-z]+)")
# A scale word, a thousands separator or decimals: what makes "R2 billion"
# money where "R21" is not (``scaled_symbols``).
_SCALED = cached_regex(r"[A-Za-z.,]")
_SIGN = cached_regex(r"\A(?:(?:minus|negative)[\s\-]*|[-\u2212])", re.IGNORECASE)
_NUMBER_TOKEN = cached_regex(r"\d[\d,]*(?:\.\d+)?(?:[/\u2044]\d+)?|\.\d+|[A-Za-z]+")
_PLAIN_NUMBER = cached_regex(r"\d[\d,]*(?:\.\d+)?")  # "5", "290,000", "3.4": one token, no words
_LEADING_CLASS = cached_regex(r"\A\{([a-z_]+)\}")
# "45 (forty-five)": the brackets around a figure restated in other words.
_RESTATED_OPEN = cached_regex(r"[ \t\u00a0]*\([ \t\u00a0]*")
_RESTATED_CLOSE = cached_regex(r"[ \t\u00a0]*\)")
# "2 1/2 years": a whole number, one space, and a fraction written with a slash.
_MIXED_GAP = cached_regex(r"[ \t\u00a0]+")
_SLASH_START = cached_regex(r"\d+[/\u2044]\d+")
_DIGIT_RUN = cached_regex(r"\d+")
_A_DIGIT = cached_regex(r"\d")
_FOUR_DIGITS = cached_regex(r"\d{4}")
_LETTER_RUN = cached_regex(r"[A-Za-z]+")
_WORD_BREAKS = cached_regex(r"[\s\-\u2010\u2014]+")
# "six-cylinder": a hyphen joining a word to what stands before it.
_ATTACHED_HYPHEN = cached_regex(r"(?<=[^\s,])-(?=[A-Za-z])")
# Kinds with a unit that a bare second end of a range takes over ("$5-10").
_MEASURED_KINDS = ("money", "percent", "quantity", "duration")


_MATCH_FIELDS = frozenset(f.name for f in fields(Match))


def _changed(match: Match, **changes: Any) -> Match:
    """``dataclasses.replace(match, **changes)`` at a third of the cost.

    The engine makes a new ``Match`` at each step of every figure, and
    ``replace`` runs the generated ``__init__`` field by field. ``Match``
    has no ``__post_init__`` checks, so a copy of its fields is the same
    thing (tests hold both to that).
    """
    if not changes.keys() <= _MATCH_FIELDS:
        raise TypeError(f"Match has no field {sorted(changes.keys() - _MATCH_FIELDS)[0]!r}")
    new = object.__new__(Match)
    new.__dict__.update(match.__dict__, **changes)
    return new


def _edged(body: str) -> str:
    """A pattern between the edges a figure may start and end at."""
    return _LEFT_EDGE + "(?:" + body + ")" + _RIGHT_EDGE


def _trie(words: Iterable[str], space: str = _SPACE, *, ascii_case: bool = False) -> str:
    """One regex for many phrases, as a trie: "km|km/h|kms" -> "km(?:/h|s)?".

    Greedy optional tails make the longest phrase win, as listing the
    phrases longest first would, and the regex stays small: compiling
    hundreds of unit and currency words one by one costs a second.

    With ``ascii_case`` the trie is for case-blind matching in ASCII mode
    (``(?a:...)``), where the engine compares letters by a table instead
    of Unicode case rules, in a quarter less code: a cased letter outside
    ASCII is then written as the class of the letters it matches case-blind.
    """
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, dict]) -> str:
        branches = []
        for char in sorted(k for k in node if k):
            piece = re.escape(char)
            if char == " ":
                piece = space
            elif ascii_case and not char.isascii() and char.lower() != char.upper():
                piece = _case_blind_class(char)
            branches.append(piece + render(node[char]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            body = "(?:" + body + ")?"
        return body

    return render(root) if root else "(?!)"


@functools.cache
def _case_blind_class(char: str) -> str:
    """The characters a case-blind regex takes for ``char``, as a class:
    "µ" -> "[µΜμ]". The regex engine itself says which, over all of Unicode."""
    found = re.compile(re.escape(char), re.IGNORECASE).findall(_every_character())
    return "[" + "".join(sorted(set(found))) + "]"


@functools.cache
def _every_character() -> str:
    # Built once, when a rule has such a letter: a tenth of a second.
    return "".join(map(chr, range(sys.maxunicode + 1)))


def _alternation(words: Iterable[str], space: str = _SPACE) -> str:
    """Regex alternation of phrases in which the longest one wins."""
    unique = {w for w in words if w}
    if not unique:
        return "(?!)"
    # ASCII mode leaves literals alike when matched case-sensitively, and
    # compares them faster case-blind; a word outside ASCII keeps Unicode's rules.
    return ("(?a:" if all(w.isascii() for w in unique) else "(?:") + _trie(unique, space) + ")"


def _bounded(words: Iterable[str]) -> str:
    """Alternation where letter-edged phrases must stand as whole words.

    One- and two-letter symbols are case-sensitive: "M" is not "m".
    """
    buckets: dict[tuple[bool, bool, bool], set[str]] = {}
    for word in {w for w in words if w}:
        strict = len(word) <= 2 and word.isalpha()
        key = (word[0].isalnum(), word[-1].isalnum(), strict)
        buckets.setdefault(key, set()).add(word if strict else word.lower())
    parts = []
    # Longer phrases first across buckets too: "°C" before "°".
    for (starts, ends, strict), bucket in sorted(buckets.items(), key=lambda kv: -max(map(len, kv[1]))):
        piece = _trie(bucket) if strict else f"(?a:{_trie(bucket, ascii_case=True)})"
        if starts:
            piece = r"(?<![A-Za-z])" + piece
        if ends:
            piece += r"(?![A-Za-z])"
        parts.append(f"(?-i:{piece})" if strict else piece)
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """The ``(``, ``|`` and ``)`` of a regex outside classes and escapes:
    (position, character, group depth around it)."""
    depth = 0
    in_class = escaped = False
    for position, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            yield position, char, depth
            depth += 1
        elif char == ")":
            depth -= 1
            yield position, char, depth
        elif char == "|":
            yield position, char, depth


def _without_optional_opening(pattern: str) -> list[str] | None:
    """"(?:A|B)?C" as its ways of matching, ["AC", "BC", "C"]; None when
    ``pattern`` does not open with an optional group."""
    if not pattern.startswith("(?:"):
        return None
    bars = []
    for position, char, depth in _structure(pattern):
        if char == "|" and depth == 1:
            bars.append(position)
        elif char == ")" and depth == 0:
            after = pattern[position + 1 : position + 3]
            if not after.startswith("?") or after[1:] in ("?", "+"):
                return None  # not optional, or lazy or possessive
            rest = pattern[position + 2 :]
            edges = [2, *bars, position]
            return [pattern[a + 1 : b] + rest for a, b in zip(edges, edges[1:])] + [rest]
    return None


def _top_level_alternation(pattern: str) -> bool:
    """Whether ``pattern`` has a ``|`` outside every group and class."""
    return any(char == "|" and depth == 0 for _, char, depth in _structure(pattern))


class _Candidate(NamedTuple):
    start: int
    end: int
    order: int  # position of the pattern in the rule list: lower wins ties
    rule: PatternRule
    groups: dict[str, str | None]  # as the regex gave them, unset ones None


@datatype(eq=False)
class _Pattern:
    """One compiled variant of a pattern rule."""

    order: int
    rule: PatternRule
    # The whole pattern, or, when it opens with a word class (``lead``), the
    # rest of it: that is tried only right after a match of the class, so
    # the class is compiled and searched for once, not once per pattern.
    regex: re.Pattern[str]
    lead: str | None


class _Opening(NamedTuple):
    """The words that open a range ("between"), to be found right before its first figure."""

    regex: re.Pattern[str]  # the words, then space, then the end
    reach: int  # characters other than spaces in the longest of the words

    def find(self, text: str, floor: int, position: int) -> re.Match[str] | None:
        """The opening words that end, with the space after them, at ``position``.

        A match holds at most ``reach`` characters that are not spaces, so
        it starts no further back than that: a search from ``floor`` (the
        start of the region) made each range cost the length of the text.
        """
        start, left = position, self.reach
        while start > floor and left:
            start -= 1
            if not text[start].isspace():
                left -= 1
        return self.regex.search(text, start, position)


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
            for surface in currency.symbols + currency.scaled_symbols + currency.words + currency.subunits:
                # Case matters for short symbols ("PS" is £, "ps" nothing).
                self._currency_by_surface.setdefault(surface, currency.code)
                self._currency_by_surface.setdefault(_fold(surface), currency.code)
        self._unit_by_surface: dict[str, str] = {}
        for surfaces in rules.durations + rules.quantities:
            for word in surfaces.words:
                self._unit_by_surface.setdefault(_fold(word), surfaces.unit)
                self._unit_by_surface.setdefault(word, surfaces.unit)
        self._percent_words = {_fold(w) for w in rules.percent_words}
        self._duration_words = frozenset(_fold(w) for d in rules.durations for w in d.words)
        # Regexes of rarer steps, kept here rather than in the module so that
        # the rules cache carries them compiled: Python's compiler took 0.75 ms
        # a start for four of them.
        self._capitals_before = re.compile(r"(?<![\w&'\u2019])[A-Z][A-Z&'\u2019]+[ \t]+\Z")
        self._glued_m = re.compile(r"\d[\d,]*(?:\.\d+)?m")
        self._next_word = re.compile(r"[ \t]+([A-Za-z]+)(?![-\w])")
        self._of_the = re.compile(r"[ \t]+of(?:[ \t]+(?:the|its|their|this|these|those|all(?:[ \t]+the)?))?[ \t]+")
        self._whole_in_digits = re.compile(r"[ \t\n]+\d+(?:[.,]\d+)*[A-Za-z]*(?=[ \t\n]+[A-Za-z])")  # "1.2m"
        # "20% more than", "5 times more than": wording right after a figure compares it
        self._figure_just_before = re.compile(
            rf"(?:\d|{_bounded([*rules.percent_words, 'times'])})[ \t\u00a0]+\Z", re.IGNORECASE
        )
        self._currency_symbols = frozenset(s[-1] for c in rules.currencies for s in c.symbols if not s[-1].isalnum())
        self._scaled_symbols = frozenset(s for c in rules.currencies for s in c.scaled_symbols)
        self._month_number = rules.calendar.months
        self._classes = self._build_classes()
        # "€120m plus €10m": a word after a figure that leads to another joins them
        self._figure_next = re.compile(rf"{_SPACE}(?:\d|{self._classes['currency_symbol']})", re.IGNORECASE)
        self._patterns = [
            compiled for index, rule in enumerate(rules.patterns) for compiled in self._compile_pattern(index, rule)
        ]
        # Every pattern starts at a word edge, so its lead class need only be
        # looked for there: most positions of a text are ruled out at once.
        self._finders = {
            p.lead: re.compile(_LEFT_EDGE + self._classes[p.lead], re.IGNORECASE) for p in self._patterns if p.lead
        }
        self._idioms = self._compile_idioms()
        # The lead classes, the patterns without one and the idioms are all
        # looked for in one walk over the text's word starts.
        # The gate numbers them in that order: the leads, the patterns, the idioms.
        self._lead_names = list(self._finders)
        # After a lead, only the patterns whose rest could open with the
        # next few characters are tried.
        self._led: dict[str, tuple[list[_Pattern], OpeningIndex]] = {}
        for lead in self._finders:
            group = [p for p in self._patterns if p.lead == lead]
            self._led[lead] = (group, OpeningIndex.of(p.regex for p in group))
        self._unled = [p for p in self._patterns if p.lead is None]
        self._gate = TokenGate(
            [*self._finders.values(), *(p.regex for p in self._patterns if p.lead is None), *self._idioms]
        )
        self._qualifiers_before = self._qualifier_regex(rules.qualifiers, "before")
        self._qualifiers_after = self._qualifier_regex(rules.qualifiers, "after")
        self._qualifier_rules: dict[tuple[str, str], list[QualifierRule]] = {}
        for rule in rules.qualifiers:
            for side in ("before", "after"):
                for phrase in getattr(rule, side):
                    self._qualifier_rules.setdefault((side, _fold(phrase)), []).append(rule)
        self._ranges = [(rule, self._range_regexes(rule)) for rule in rules.ranges]
        self._rate = self._rate_regex()
        self._rate_nouns = {_fold(n) for n in rules.rates.nouns}
        self._chain = {unit: chain for chain in rules.compounds for unit in chain.sizes}
        # A determiner after the word makes it a preposition: "6 ft 2 in the photo".
        not_then = rf"(?!{_SPACE}{_alternation(rules.cues.determiners)}(?![\w'\u2019]))"
        self._part_words = {
            (chain.name, unit): re.compile(rf"{_SPACE}{_alternation(words)}(?![\w'\u2019]){not_then}", re.IGNORECASE)
            for chain in rules.compounds
            for unit, words in chain.part_words.items()
        }
        joiners = _alternation(rules.compound_joiners)
        self._part_joiner = re.compile(rf"{_OPT_SPACE}(?:{joiners}{_OPT_SPACE})?", re.IGNORECASE)
        self._half = re.compile(rf"{_SPACE}({_alternation(rules.compound_halves)})(?![A-Za-z])", re.IGNORECASE)
        measures = rules.measures
        joiners = sorted({w for j in measures.clause_joiners for w in (j, j.capitalize())})
        # The lookahead first lets most characters be passed over at once.
        opening = re.escape("".join(sorted({w[0] for w in joiners} | set(",.;:!?()\"\u201c\u201d\n"))))
        self._clause_stop_before = re.compile(
            rf"(?=[{opening}])(?:{_CLAUSE_STOP_BEFORE}|(?<![\w-]){_alternation(joiners)}(?![\w-]))"
        )
        # "rose 4% y/y": the words that follow say what it is compared with.
        self._comparison_after = re.compile(
            rf"{_SPACE}{_alternation(measures.comparisons)}(?![\w/'\u2019-])", re.IGNORECASE
        )
        self._plural_words = measures.plural_words
        self._modifier_endings = ("'s", "\u2019s", *measures.modifier_endings)  # "city's", "global"
        self._plural_endings = measures.plural_endings
        self._singular_endings = measures.singular_endings

    # ------------------------------------------------------------ compiling

    def _build_classes(self) -> dict[str, str]:
        numbers = self.rules.numbers
        spaced_scales = [w for w, s in numbers.scales.items() if not s.attached]
        number_words = _alternation([*numbers.units, *numbers.tens, *numbers.hundred, *spaced_scales])
        articles = _alternation(numbers.articles)
        units = _alternation(numbers.units)
        fractions = _alternation(numbers.fractions)
        # "and" joins number words after a hundred or a scale ("two hundred
        # and ten"), never two small ones ("between five and six" is a
        # range) nor a fraction ("one and three quarters": and_a_half below).
        share = rf"(?:(?:{articles}|{units}){_SPACE})?{fractions}(?![A-Za-z])"
        after_scale = "(?:" + "|".join(f"(?<={re.escape(w)})" for w in [*numbers.hundred, *spaced_scales]) + ")"
        joint = rf"(?:[ \t\u00a0]*[-\u2010\u2014][ \t\u00a0]*|{after_scale}{_SPACE}and{_SPACE}(?!{share})|{_SPACE})"
        # Any run of number words; parse_number says whether it is a number.
        multiplying = _alternation([*numbers.hundred, *spaced_scales])
        words = rf"(?:{articles}{_SPACE}(?={multiplying}))?{number_words}(?:{joint}{number_words}(?![A-Za-z]))*"
        scale_chain = rf"(?:(?:{_SPACE}|-){_alternation([*spaced_scales, *numbers.hundred])}(?![A-Za-z]))*"
        attached = _alternation(numbers.scales)
        # "plus or minus 3" is a margin (a qualifier), not minus 3.
        sign = r"(?:(?:minus(?<!plus or minus)(?<!plus/minus)|negative)(?:[ \t]|-)?|[-\u2212](?<![+/].)(?=[\d.]))?"
        # "two and a half (million)"
        point = _alternation(numbers.decimal_points)
        # "three point five", "point 77"
        decimals = rf"(?:{_SPACE}{point}{_SPACE}(?:\d+|{units}(?:{_SPACE}{units})*)(?![A-Za-z\d]))?"
        and_a_half = rf"(?:{_SPACE}and{_SPACE}{share})?"
        # "half a million", "a quarter million", "three quarters of a
        # million": first, as "three" alone would end the number early.
        share_of_scale = (
            rf"(?<![A-Za-z])(?:(?:{articles}|{units})(?:{_SPACE}|-))?{fractions}(?:{_SPACE}of)?{_SPACE}"
            rf"(?:{articles}{_SPACE})?{multiplying}(?![A-Za-z]){scale_chain}"
        )
        number = (
            rf"{sign}(?:{share_of_scale}|{_SLASH_FRACTION}"
            rf"|(?:{_DIGITS}(?:{_EXPONENT}|{attached}(?![A-Za-z]))?|(?<![A-Za-z]){words}(?![A-Za-z])){decimals}{and_a_half}{scale_chain}"
            rf"|(?<![A-Za-z]){point}{_SPACE}\d+(?![\d.]){scale_chain})"
        )
        currency_symbols = [s for c in self.rules.currencies for s in c.symbols + c.scaled_symbols]
        currency_words = [w for c in self.rules.currencies for w in c.words]
        subunits = [w for c in self.rules.currencies for w in c.subunits]
        return {
            "number": number,
            "vague": r"(?<![A-Za-z])" + _alternation(numbers.vague) + r"(?![A-Za-z])",
            # "the 40s", "the forties"; never a decade written "'90s" or "1990s"
            "tens_span": r"(?<![\w'\u2019])(?:[1-9]0s|" + _alternation(numbers.tens_spans) + r")(?![A-Za-z])",
            "span_part": r"(?<![A-Za-z])" + _alternation(numbers.span_parts) + r"(?![A-Za-z])",
            "fraction": r"(?<![A-Za-z])" + _alternation(numbers.fractions) + r"(?![A-Za-z])",
            "ordinal": r"(?:\d+(?:st|nd|rd|th)|(?<![A-Za-z])(?:"
            + _alternation(numbers.tens)
            + r"(?:[-\u2010\u2014 ]?))?"
            + _alternation(numbers.ordinals)
            + r")(?![A-Za-z])",
            "currency_symbol": _bounded(currency_symbols),
            "currency_word": _bounded(currency_words),
            "currency_subunit": _bounded(subunits),
            "percent_word": _bounded(self.rules.percent_words),
            "duration_word": _bounded(w for d in self.rules.durations for w in d.words),
            "unit_word": _bounded(w for q in self.rules.quantities for w in q.words),
            "scale": r"(?<![A-Za-z])" + _alternation([*spaced_scales, *numbers.hundred]) + r"(?![A-Za-z])",
            "multiplier": r"(?<![A-Za-z])" + _alternation(numbers.multipliers) + r"(?![A-Za-z])",
            "multiplier_verb": r"(?<![A-Za-z])" + _alternation(numbers.multiplier_verbs) + r"(?![A-Za-z])",
            "series_word": _alternation(numbers.series_words) + r"(?![\w-])",
            # Not before a word that opens a clause ("played three times as
            # the crowd sang") or a name ("scored twice as United won"); an
            # acronym is no name here ("twice the UK average").
            "comparison": _alternation(numbers.comparison_words)
            + rf"(?![\w-])(?!{_SPACE}(?:{_alternation(numbers.not_compared)}(?![\w-])|(?-i:[A-Z][a-z])))",
            # Any case here; _date_value keeps "may" or "march" only with a year.
            "month": _alternation(self.rules.calendar.months) + r"(?![A-Za-z])",
            "month_number": r"(?:1[0-2]|0?[1-9])(?!\d)",
            "day": r"(?:3[01]|[12]\d|0?[1-9])(?!\d)",
            "year": r"\d{4}(?!\d)",
            "short_year": r"\d{2}(?!\d)",
        }

    def _compile_pattern(self, index: int, rule: PatternRule) -> list[_Pattern]:
        # "(?:{number} |a )?{fraction} of ..." is tried as three patterns, two
        # of them led by a word class, rather than as one tried everywhere
        # a number starts: the candidates are the same.
        variants = _without_optional_opening(rule.pattern)
        if variants is not None and any(_LEADING_CLASS.match(v) for v in variants):
            try:
                return [self._compile_variant(index, rule, variant) for variant in variants]
            except re.error:
                pass  # a group named inside the option and used after it
        return [self._compile_variant(index, rule, rule.pattern)]

    def _compile_variant(self, index: int, rule: PatternRule, pattern: str) -> _Pattern:
        lead = _LEADING_CLASS.match(pattern)
        if lead is None or _top_level_alternation(pattern):
            return _Pattern(index, rule, re.compile(self._expand(pattern), re.IGNORECASE), None)
        rest = self._expand(pattern[lead.end() :], counts={lead.group(1): 1}, edges=False)
        return _Pattern(index, rule, re.compile(rest + _RIGHT_EDGE, re.IGNORECASE), lead.group(1))

    def _expand(self, pattern: str, *, counts: dict[str, int] | None = None, edges: bool = True) -> str:
        counts = dict(counts or {})

        def placeholder(match: re.Match[str]) -> str:
            name = match.group(1)
            counts[name] = counts.get(name, 0) + 1
            return f"(?P<{name}_{counts[name]}>{self._classes[name]})"

        # Spaces first: the class expansions hold spaces of their own.
        body = pattern.replace(" ", _SPACE).replace("~", _OPT_SPACE)
        body = re.sub(r"\{([a-z_]+)\}", placeholder, body)
        return _edged(body) if edges else body

    def _compile_idioms(self) -> list[re.Pattern[str]]:
        """Two regexes: the phrases with the patterns that open with a
        letter ("that one", "phase 3"), then the patterns that open with
        anything else (clock times, phone numbers, addresses). The gate
        tries each only where it could open, so a common word ("the",
        "for") is not also tried against every pattern that opens with a
        digit: the regex engine cannot pass over a case-insensitive
        alternative by its first character."""
        worded = [_alternation(i.phrase for i in self.rules.idioms if i.phrase)]
        others = []
        for idiom in self.rules.idioms:
            if idiom.pattern:
                expanded = self._expand(idiom.pattern, edges=False)
                openings = first_strings(re.compile(_LEFT_EDGE + expanded, re.IGNORECASE))
                is_worded = openings is not None and all(o[:1].isalpha() for o in openings)
                (worded if is_worded else others).append(f"(?:{expanded})")
        # The edges once around all the other patterns, not around each: at
        # a number the edges' many lookbehinds had been checked again for
        # every pattern.
        parts = ["|".join(worded)] + ([_edged("|".join(others))] if others else [])
        return [re.compile(r"(?<!\w)(?:" + part + r")(?!\w)", re.IGNORECASE) for part in parts]

    @staticmethod
    def _qualifier_regex(rules: Sequence[QualifierRule], side: str) -> re.Pattern[str]:
        words = [p for r in rules for p in getattr(r, side) if p[-1].isalnum()]
        symbols = [p for r in rules for p in getattr(r, side) if not p[-1].isalnum()]
        if side == "before":
            # Read backwards from the figure (see _qualifier_before). A
            # symbol ("~", "≈") may stand right against the figure.
            backwards_words = _alternation((w[::-1] for w in words), _SPACE_BACKWARDS)
            backwards_symbols = _alternation((w[::-1] for w in symbols), _SPACE_BACKWARDS)
            return re.compile(
                rf"(?:{_SPACE_BACKWARDS}({backwards_words})|{_OPT_SPACE_BACKWARDS}({backwards_symbols}))(?![\w$])",
                re.IGNORECASE,
            )
        # "40,000-plus": a hyphen may join a word after the figure.
        return re.compile(rf"(?:,?{_SPACE}|-)({_alternation(words + symbols)})(?!\w)", re.IGNORECASE)

    @staticmethod
    def _range_regexes(rule: RangeRule) -> tuple[re.Pattern[str], _Opening | None]:
        joiner = re.compile(rf"\A{_OPT_SPACE}{_alternation(rule.joiners)}{_OPT_SPACE}\Z", re.IGNORECASE)
        before = None
        if rule.before:
            regex = re.compile(rf"(?<!\w){_alternation(rule.before)}{_SPACE}\Z", re.IGNORECASE)
            before = _Opening(regex, max(sum(not c.isspace() for c in phrase) for phrase in rule.before))
        return joiner, before

    def _rate_regex(self) -> re.Pattern[str]:
        rates = self.rules.rates
        units = self._classes["duration_word"] + "|" + self._classes["unit_word"]
        # "per" takes any noun ("per share"); "/", "a" and "an" only a unit or
        # a listed noun, so "$5 a month" and "$5 a head" are rates but not
        # "$84 and a rise". The units are written once: it keeps the regex
        # small (see _trie). Hyphens may join the rate to its figure when it
        # qualifies a noun: "a $15-an-hour job".
        joiners = rf"(?:(?P<any>{_alternation(rates.any_noun)})|{_alternation(rates.listed_nouns)})"
        return re.compile(
            rf"(?:{_OPT_SPACE}(?P<slash>/){_OPT_SPACE}|(?:{_SPACE}|(?P<hyphen>-)){joiners}(?(hyphen)-|{_SPACE}))"
            rf"(?:(?P<unit>{units})|(?P<noun>[A-Za-z]+))(?![A-Za-z])",
            re.IGNORECASE,
        )

    # -------------------------------------------------------------- matching

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
            starts = self._gate.starts(text, region.start, region.end)
            candidates = self._candidates(text, region, starts)
            if not candidates:
                continue
            first_idiom = len(self._gate.patterns) - len(self._idioms)
            idioms_at = [starts.get(first_idiom + index, []) for index in range(len(self._idioms))]
            candidates = self._drop_idioms(text, region, candidates, idioms_at)
            matches = self._select(candidates, lambda c: self._to_match(text, c))
            matches = self._metres_after_a_size(text, matches)
            matches = self._join_ranges(text, region, matches)
            matches = self._join_parts(text, region, matches)
            matches = self._parts_of_amounts(text, matches)
            matches = [self._rated(text, region, self._qualify(text, region, m)) for m in matches]
            # Finishing may widen a figure ("500 cars a day"): overlaps again.
            finished = _without_overlaps([self._finish(text, region, m) for m in _without_overlaps(matches)])
            found.extend(_restatements(text, finished))
        return found

    def _leads(self, text: str, region: Span, lead: str, starts: Sequence[int] | None) -> list[tuple[int, int]]:
        """Every match of word class ``lead``: (start, end)."""
        finder = self._finders[lead]
        if starts is None:  # a class the gate cannot narrow: try it everywhere
            starts = range(region.start, region.end)  # type: ignore[assignment]
        found = []
        reached = -1  # the end of the last match found left to right
        previous = -1
        for at in starts:
            if at >= reached:
                match = finder.match(text, at, region.end)
                if match is None:
                    continue
                # "32m2" is 32 m², not 32 million and a 2, and "500ml" is 500 ml:
                # the digits alone are a lead too, tried first, as a regex would
                # have backtracked to them.
                digits = _LEADING_DIGITS.match(text, match.start(), match.end())
                if digits and digits.end() < match.end():
                    found.append(digits.span())
                found.append(match.span())
                previous, reached = match.span()
            elif at > previous and _TOKEN_START.match(text, at):
                # A pattern may also begin at a later word of a long match.
                again = finder.match(text, at, region.end)
                if again:
                    found.append(again.span())
        return found

    def _candidates(self, text: str, region: Span, starts: dict[int, list[int] | None]) -> list[_Candidate]:
        found: list[tuple[_Pattern, int, int, dict[str, str | None]]] = []
        leads = self._lead_names
        # In the gate's order (the leads, then the patterns without one): the
        # variants of one rule share its order, and the sort below keeps them
        # in the order they were found.
        for number in sorted(starts):
            gated = starts[number]
            if number < len(leads):
                lead = leads[number]
                group, index = self._led[lead]
                could_open = index.could_open
                for start, end in self._leads(text, region, lead, gated):
                    for which in could_open(text[end : min(end + DEPTH, region.end)]):
                        pattern = group[which]
                        rest = pattern.regex.match(text, end, region.end)
                        if rest is not None:
                            groups = rest.groupdict()
                            groups[f"{lead}_1"] = text[start:end]
                            found.append((pattern, start, rest.end(), groups))
            elif number - len(leads) < len(self._unled):  # the last numbers are the idioms', for _drop_idioms
                pattern = self._unled[number - len(leads)]
                matches = (
                    pattern.regex.finditer(text, region.start, region.end)
                    if gated is None
                    else TokenGate.chain(pattern.regex, text, gated, region.end)
                )
                found.extend((pattern, m.start(), m.end(), m.groupdict()) for m in matches)
        # In rule order, as ties between equal candidates are settled by it.
        found.sort(key=lambda item: item[0].order)
        out = []
        for pattern, start, end, groups in found:
            rule = pattern.rule
            if end == start:
                continue
            if rule.preceded_by and _word_before(text, start) not in rule.preceded_by:
                continue
            out.append(_Candidate(start, end, pattern.order, rule, groups))
        return out

    @staticmethod
    def _select(candidates: list[_Candidate], to_match: Callable[[_Candidate], Match | None]) -> list[Match]:
        """The matches of the longest candidates that do not overlap (earlier
        rule, then earlier start, breaks ties), in text order.

        A candidate whose value makes no sense (``to_match`` gives None) is
        passed over as if it had never been found; as that is known only by
        reading the value, a value is read only for a candidate that would
        otherwise be chosen.
        """
        # The chosen spans never overlap, so sorted by start they are sorted
        # by end too: a new one need only be checked against its neighbours.
        starts: list[int] = []
        chosen: list[tuple[_Candidate, Match]] = []
        for cand in sorted(candidates, key=lambda c: (c.start - c.end, c.order, c.start)):
            index = bisect.bisect_right(starts, cand.start)
            if index and chosen[index - 1][0].end > cand.start:
                continue
            if index < len(chosen) and chosen[index][0].start < cand.end:
                continue
            match = to_match(cand)
            if match is None:
                continue
            starts.insert(index, cand.start)
            chosen.insert(index, (cand, match))
        return [match for _, match in chosen]

    def _drop_idioms(
        self, text: str, region: Span, candidates: list[_Candidate], gated: Sequence[list[int] | None]
    ) -> list[_Candidate]:
        """Drop candidates that start inside an idiom or a non-figure
        ("4:39"). ``gated`` holds, for each idiom regex, where it could
        open, or None where it must be searched for."""
        if not candidates:
            return candidates
        # Idioms are found left to right, so those up to the last candidate
        # are the same without the ones after it, which could hold nothing.
        last = max(c.start for c in candidates)
        idioms: list[tuple[int, int]] = []
        for regex, positions in zip(self._idioms, gated):
            if positions == []:
                continue
            found = (
                itertools.takewhile(lambda m: m.start() <= last, regex.finditer(text, region.start, region.end))
                if positions is None
                else TokenGate.chain(regex, text, positions[: bisect.bisect_right(positions, last)], region.end)
            )
            idioms.extend(m.span() for m in found)
        if not idioms:
            return candidates
        held = _inside_any([c.start for c in candidates], idioms)
        return [cand for cand, inside in zip(candidates, held) if not inside]

    def _to_match(self, text: str, candidate: _Candidate) -> Match | None:
        """The figure a candidate stands for, or None when its value makes no sense."""
        rule = candidate.rule
        span = Span(candidate.start, candidate.end)
        written = text[candidate.start : candidate.end]
        groups = {k: v for k, v in candidate.groups.items() if v is not None}
        slashed = _SLASHED.fullmatch(written) if "/" in written or "\u2044" in written else None
        if slashed and rule.kind != "date" and int(slashed.group(1)) >= int(slashed.group(2)):
            return None  # "2019/21", "30/4": a label or a date; "50/50", "20/20": no share of anything
        value: float | str | None = rule.value
        value_high = None
        unit = None
        try:
            if rule.kind == "date":
                if "to" in groups:
                    dated = self._date_range(groups)
                elif "decade" in groups:
                    dated = self._decade(groups)
                else:
                    dated = (self._date_value(groups), None)
                if dated is None or dated[0] is None:
                    return None
                value, value_high = dated
            elif rule.kind == "tally":
                # "4-3-3": a chain of numbers is a formation or a date, no tally
                chained = text[candidate.start - 1 : candidate.start] in ("-", "\u2013", "/")
                value = None if chained else self._tally(groups)
                if value is None:
                    return None
            elif "tens_span_1" in groups:
                # "the forties": 40 to 49; "the mid-40s": 44 to 46
                written_tens = _fold(groups["tens_span_1"])
                tens_spans = self.rules.numbers.tens_spans
                tens = Decimal(str(tens_spans[written_tens] if written_tens in tens_spans else written_tens[:-1]))
                part = self.rules.numbers.span_parts[_fold(groups["span_part_1"])] if "span_part_1" in groups else None
                low, high = (part.low, part.high) if part else (0, 9)
                value, value_high = _plain(tens + Decimal(str(low))), _plain(tens + Decimal(str(high)))
            elif "vague_1" in groups:
                vague = self.rules.numbers.vague[_fold(groups["vague_1"])]
                value, value_high = _plain(vague.low), _plain(vague.high)
                if "scale_1" in groups:
                    # "a few hundred", "several thousand"
                    factor = self._scale_value(groups["scale_1"])
                    value, value_high = _plain(factor * Decimal(str(value))), _plain(factor * Decimal(str(value_high)))
            elif "multiplier_1" in groups:
                value = _plain(Decimal(str(self.rules.numbers.multipliers[_fold(groups["multiplier_1"])])))
            elif "multiplier_verb_1" in groups:
                value = _plain(Decimal(str(self.rules.numbers.multiplier_verbs[_fold(groups["multiplier_verb_1"])])))
            elif "ordinal_1" in groups:
                value = self._ordinal_value(groups["ordinal_1"])
            elif "fraction_1" in groups:
                whole = self.parse_number(groups["number_1"]) if "number_1" in groups else Decimal(1)
                fraction = Decimal(str(self.rules.numbers.fractions[_fold(groups["fraction_1"])]))
                if "scale_1" in groups:  # "a quarter of a million"
                    whole *= self._scale_value(groups["scale_1"])
                value = _plain(whole * fraction)
            elif "ratio" in groups:
                # "a 3-to-1 ratio" is 3, "a 1:4 ratio" 0.25: the first over the second
                denominator = Decimal(groups["ratio"])
                if denominator <= 0:
                    return None
                value = _plain(self.parse_number(groups["number_1"]) / denominator)
            elif "number_1" in groups and "number_2" in groups and rule.kind == "fraction":
                # "one in five", "3 out of 4": a share, not two figures.
                numerator, denominator = self.parse_number(groups["number_1"]), self.parse_number(groups["number_2"])
                after_currency = candidate.start and text[candidate.start - 1] in self._currency_symbols
                if not 0 < numerator <= denominator or _FOUR_DIGITS.fullmatch(groups["number_2"]) or after_currency:
                    return None  # "$800 million in 2019", "spent $40 in 90 days": no share
                if self._within_a_time(text, written, candidate.end):
                    return None  # "lost 4 in 10 days": four, within ten days
                value = _plain(numerator / denominator)
            elif "per" in groups:
                # "40 cases per 100,000": a rate per so many is a share too
                numerator, denominator = self.parse_number(groups["number_1"]), self.parse_number(groups["per"])
                if not 0 < numerator <= denominator or self._measured_per(text, candidate.start, groups["counted"]):
                    return None  # "$2 per 100 grams", "5 percent per 100 workers": an amount, no share
                value = _plain(numerator / denominator)
                if "upto" in groups:  # "1.1 to 3.0 per 100,000"
                    upto = Decimal(groups["upto"])
                    if not numerator < upto <= denominator:
                        return None  # a falling pair is a change: two figures
                    value_high = _plain(upto / denominator)
            elif "number_1" in groups:
                value = self.parse_number(groups["number_1"])
                if "scale_1" in groups:  # "$(1.2) million": a scale outside the brackets
                    value *= self._scale_value(groups["scale_1"])
                value = _plain(value)
            elif value is None:
                value = _plain(self.parse_number(written))
        except (KeyError, InvalidOperation, ValueError, ZeroDivisionError):
            return None
        for key in ("currency_symbol_1", "currency_word_1", "currency_subunit_1"):
            if key in groups:
                written_unit = groups[key]
                unit = self._currency_by_surface.get(written_unit) or self._currency_by_surface.get(_fold(written_unit))
        if groups.get("currency_symbol_1") in self._scaled_symbols and not _SCALED.search(groups.get("number_1") or ""):
            return None  # "R21" is a road: only "R2 billion", "R25,000" or "R2.50" is money
        if "currency_subunit_1" in groups and isinstance(value, (int, float)):
            value = _plain(Decimal(str(value)) / 100)
        for key in ("duration_word_1", "unit_word_1"):
            if key in groups:
                unit = self._unit_by_surface.get(groups[key]) or self._unit_by_surface.get(_fold(groups[key]))
        if "percent_word_1" in groups:
            unit = "percent"
        if rule.unit is not None:
            unit = rule.unit
        if rule.negative and isinstance(value, (int, float)):
            value = -value
        latent = rule.latent or self._latent_word(groups)
        return Match(
            span=span,
            rule=rule.name,
            kind=rule.kind,
            value=value,
            value_high=value_high,
            unit=unit,
            measure=rule.measure,
            latent=latent,
        )

    def _scale_value(self, written: str) -> Decimal:
        word = _fold(written)
        return Decimal(100) if word in self._hundred else _decimal(self._scales[word].value)

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
        if _PLAIN_NUMBER.fullmatch(written):
            # Most numbers are digits alone: the same value, without the walk below.
            return Decimal(written.replace(",", ""))
        powered = _POWERED.fullmatch(written.strip())
        if powered:
            power = int(powered.group("power").translate(_POWER_DIGITS))  # ValueError: no power here
            return self.parse_number(powered.group("mantissa")) * Decimal(10) ** power
        sign = _SIGN.match(written.strip())
        rest = written.strip()[sign.end() :] if sign else written
        total = Decimal(0)
        current = Decimal(0)
        parts = Decimal(1)
        seen = False
        last = ""  # "unit", "tens", "hundred", "scale": what the previous word was
        group = Decimal(0)  # what the last scale of a thousand or more added to total
        decimals: str | None = None  # the digits after "point"
        for token in _NUMBER_TOKEN.findall(rest):
            word = token.lower()
            if word in self.rules.numbers.decimal_points and decimals is None:
                decimals = ""
                continue
            if decimals is not None and word not in self._scales and word not in self._hundred:
                digit = token if token.isdigit() else str(int(self.rules.numbers.units.get(word, -1)))
                if not digit.isdigit():
                    raise ValueError(f"not a decimal digit: {token!r}")
                decimals += digit
                seen = True
                continue
            if decimals:
                current += Decimal("0." + decimals)
                decimals = ""
            if last == "and" and (word in self._articles or word in self.rules.numbers.units):
                # "one and three quarters": how many of the fraction that follows
                parts = Decimal(1) if word in self._articles else _decimal(self.rules.numbers.units[word])
                last = "and a"
                continue
            if last in ("", "article", "unit") and word in self.rules.numbers.fractions:
                # "half a million", "three quarters of a million": a share of the scale to come
                current = (current or Decimal(1)) * _decimal(self.rules.numbers.fractions[word])
                last = "share"
                continue
            if last in ("share", "share of") and (word == "of" or word in self._articles):
                last = "share of"
                continue
            if token[0].isdigit() or token[0] == ".":
                if seen:
                    raise ValueError(f"two numbers in {written!r}")
                numerator, _, denominator = token.replace(",", "").partition("/")
                if not denominator:
                    numerator, _, denominator = numerator.partition("\u2044")
                current += Decimal(numerator) / Decimal(denominator) if denominator else Decimal(numerator)
                last = "digits"
            elif word in self._number_value:
                is_tens = word in self.rules.numbers.tens
                if is_tens and last == "unit" and total == 0 and 0 < current < 10:
                    # "one twenty two": a digit word before tens says hundreds
                    current = current * 100 + _decimal(self._number_value[word])
                    last = "tens"
                    continue
                # "twenty five" goes on; "five six" is not one number.
                if last in ("unit", "digits", "and", "article") or (last == "tens" and is_tens):
                    raise ValueError(f"not one number: {written!r}")
                current += _decimal(self._number_value[word])
                last = "tens" if is_tens else "unit"
            elif word in self._hundred:
                current = (current or Decimal(1)) * 100
                last = "hundred"
            elif word in self._scales:
                if not seen and last not in ("share", "share of"):
                    raise ValueError(f"a scale alone is no number: {written!r}")
                scale = _decimal(self._scales[word].value)
                if last == "scale" and not current and group and scale >= 1000:
                    # "150 lakh crore", "a thousand million": a scale right
                    # after another multiplies what that one made
                    total += group * (scale - 1)
                    group *= scale
                    continue
                current = (current or Decimal(1)) * scale
                if scale >= 1000:
                    total += current
                    group, current = current, Decimal(0)
                last = "scale"
            elif word in self._articles and not seen:
                current += Decimal(1)
                last = "article"
            elif last in ("and", "and a") and word in self.rules.numbers.fractions:
                share = _decimal(self.rules.numbers.fractions[word])
                current += (parts if last == "and a" else Decimal(1)) * share
                last = "fraction"

            elif word == "and" and seen:
                if last in ("unit", "digits", "tens"):
                    last = "and"  # "two and a half"
                continue
            else:
                raise ValueError(f"not a number word: {token!r}")
            seen = True
        if decimals:
            current += Decimal("0." + decimals)
        if not seen or last in ("article", "and", "and a", "share", "share of"):
            raise ValueError(f"no number in {written!r}")
        value = total + current
        return -value if sign else value

    def _ordinal_value(self, written: str) -> float:
        digits = _DIGIT_RUN.match(written)
        if digits:
            return int(digits.group())
        numbers = self.rules.numbers
        value = Decimal(0)
        for word in _WORD_BREAKS.split(written.lower()):
            if word in numbers.ordinals:
                value += Decimal(str(numbers.ordinals[word]))
            elif word in numbers.tens:
                value += Decimal(str(numbers.tens[word]))
            elif word:
                # "twentyfifth", written as one word
                tens = next(t for t in numbers.tens if word.startswith(t) and word[len(t) :] in numbers.ordinals)
                value += Decimal(str(numbers.tens[tens])) + Decimal(str(numbers.ordinals[word[len(tens) :]]))
        return _plain(value)

    def _measured_per(self, text: str, start: int, counted: str) -> bool:
        """Whether "N ... per M" counts an amount (money, a unit, a percent)
        rather than people or things."""
        if start and text[start - 1] in self._currency_symbols:
            return True
        return any(_fold(w) in self._unit_by_surface or _fold(w) in self._percent_words for w in counted.split())

    @staticmethod
    def _tally(groups: dict[str, str]) -> str | None:
        """A score or a vote, "52-48": two whole numbers of up to three
        digits. Read from a group ``second``, the first is not the smaller
        (a pair that rises is a range); from a group ``against`` (after
        "lost") it may be."""
        first, second = groups["number_1"], groups.get("second", groups.get("against", ""))
        if not (first.isdigit() and len(first) <= 3 and second.isdigit()):
            return None
        if "second" in groups and int(first) < int(second):
            return None
        return f"{int(first)}-{int(second)}"

    def _decade(self, groups: dict[str, str]) -> tuple[str, str] | None:
        """A decade, "the 1990s": 1990 to 1999. "The 1800s" may be a century: none."""
        year = int(groups["year_1"])
        if year % 10 or not year % 100:
            return None
        first, last = self._date_value({"year_1": str(year)}), self._date_value({"year_1": str(year + 9)})
        return (first, last) if first and last else None

    def _date_range(self, groups: dict[str, str]) -> tuple[str, str] | None:
        """The first and last dates of a range written as one ("Jan. 5-9",
        "5-9 January 2027", "1939-45"): the pattern's group ``to`` stands
        between them, and the end takes what it leaves out from the start."""
        start = {key: value for key, value in groups.items() if key.endswith("_1")}
        end = dict(start)
        for key, value in groups.items():
            if key.endswith("_2"):
                end[key[:-2] + "_1"] = value
        if "year_1" in start and "short_year_1" in start:
            # "1939-45": the end year in the start's century, and later
            del start["short_year_1"], end["short_year_1"]
            year = int(start["year_1"])
            end["year_1"] = str(year - year % 100 + int(groups["short_year_1"]))
        first, last = self._date_value(start), self._date_value(end)
        if first is None or last is None or len(first) != len(last) or not first < last:
            return None  # "2019-01" is no range, nor is "9-5 March"
        return first, last

    def _date_value(self, groups: dict[str, str]) -> str | None:
        year = int(groups["year_1"]) if "year_1" in groups else None
        if year is not None and ("short_year_1" in groups or "year_2" in groups):
            # "2019/20", "2020-21": a season or financial year, an ISO interval
            second = groups.get("year_2") or groups["short_year_1"]
            first, last = self.rules.calendar.year_range
            if int(second) != (year + 1) % 10 ** len(second) or not first <= year < last:
                return None
            return f"{year:04d}/{year + 1:04d}"
        if "short_year_1" in groups:
            short = int(groups["short_year_1"])
            pivot = self.rules.calendar.century_pivot
            year = (2000 if short < pivot else 1900) + short
        first, last = self.rules.calendar.year_range
        if year is not None and not first <= year <= last:
            return None
        month = None
        if "month_1" in groups:
            written = groups["month_1"]
            if written not in self._month_number and year is None:
                return None  # "they may 5", "the march 20 years ago": a month needs its case or a year
            month = self._month_number.get(written) or self._month_number.get(written.capitalize())
        elif "month_number_1" in groups:
            month = int(groups["month_number_1"])
        day = int(groups["day_1"]) if "day_1" in groups else None
        if "ordinal_1" in groups:  # "the fourteenth of April"
            day = int(self._ordinal_value(groups["ordinal_1"]))
        if day is not None and month is not None:
            _dt.date(year or 2000, month, day)  # raises ValueError for 31 June
            return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
        if month is not None:
            return f"{year:04d}-{month:02d}" if year else f"--{month:02d}"
        return f"{year:04d}" if year is not None else None

    # ------------------------------------------------------ around a figure

    def _join_ranges(self, text: str, region: Span, matches: list[Match]) -> list[Match]:
        out: list[Match] = []
        i = 0
        while i < len(matches):
            first = matches[i]
            second = matches[i + 1] if i + 1 < len(matches) else None
            if second is not None:
                second = matches[i + 1] = self._metres_after_a_length(text, first, second)
            joined = self._range(text, region, first, second) if second else None
            if joined:
                out.append(joined)
                i += 2
            else:
                if second is not None:
                    matches[i + 1] = self._level_after_a_change(text, first, second)
                out.append(self._falling_start(text, region, first, second) if second else first)
                i += 1
        return out

    def _level_after_a_change(self, text: str, first: Match, second: Match) -> Match:
        """A bare level after a change in some unit is in that unit: "fell
        3.5 degrees to minus 12" is minus 12 degrees, "rose $2 to 45" $45;
        but "rose 3.5% to 120" is no percentage (a level after a rate)."""
        if first.kind not in ("quantity", "money") or first.unit is None or first.value_high is not None:
            return second
        if second.kind != "count" or second.unit is not None or second.value_high is not None:
            return second
        if text[first.span.end : second.span.start].split() != ["to"]:
            return second
        word = _word_before(text, first.span.start)
        if not any(word in rule.not_after for rule, _ in self._ranges):
            return second
        return _changed(second, kind=first.kind, unit=first.unit, rule=f"{second.rule} in the change's unit")

    def _metres_after_a_size(self, text: str, matches: list[Match]) -> list[Match]:
        """After a noun of size and "of", "m" glued to digits is metres, not
        million: "a depth of 1m", "waves of up to 2m". Not before a plural:
        "waves of 2m migrants" are a million people."""
        out = matches
        for index, match in enumerate(matches):
            if text[match.span.end - 1] != "m" or match.kind != "count" or match.unit is not None:
                continue
            start = match.span.start
            qualified = self._qualifier_before(text, max(0, start - 40), start)
            if qualified is not None:
                start = qualified[1]  # "depths of [up to] 1m"
            if _word_before_the(text, start, "of") not in self.rules.metre_nouns:
                continue
            in_metres = self._in_metres(text, match)
            if in_metres is not None:
                out = list(matches) if out is matches else out
                out[index] = in_metres
        return out

    def _in_metres(self, text: str, match: Match) -> Match | None:
        """A bare count written with "m" glued to its digits ("1m", "2.5m")
        read as metres, or None when it is no such count or a plural after
        it says what a million counts ("1m people")."""
        if match.kind != "count" or match.unit is not None or match.value_high is not None:
            return None
        written = match.span.slice(text)
        if not self._glued_m.fullmatch(written) or self._plural_follows(text, match.span.end):
            return None
        value = _plain(self.parse_number(written[:-1]))
        return _changed(match, kind="quantity", value=value, unit="meter", rule=f"{match.rule} in metres")

    def _plural_follows(self, text: str, position: int) -> bool:
        """Whether the next word after ``position``, past spaces, is a plural."""
        counted = self._next_word.match(text, position)
        return counted is not None and self._plural(counted.group(1))

    def _metres_after_a_length(self, text: str, first: Match, second: Match) -> Match:
        """The second end of a range read again: after a metric length, "m"
        glued to digits is metres, not million ("between 30cm and 1m",
        "50cm-1.5m"). Two units make two figures, as "30 cm to 1 metre" does."""
        chain = self._chain.get(first.unit) if first.kind == "quantity" else None
        if chain is None or "meter" not in chain.sizes or second.kind != "count" or second.unit is not None:
            return second
        between = text[first.span.end : second.span.start]
        if not any(joiner.match(between) for _, (joiner, _) in self._ranges):
            return second
        # "30cm and 1m people": a million of them
        return self._in_metres(text, second) or second

    def _parts_of_amounts(self, text: str, matches: list[Match]) -> list[Match]:
        """A bare count of part of an amount takes the amount's kind and unit:
        "raised 280 million of the 1.5 billion shekels" is money. Not when
        the amount says what the things counted are ("two of the £5 notes")."""
        out = list(matches)
        for index in range(len(out) - 1):
            part, whole = out[index], out[index + 1]
            if part.kind != "count" or part.unit is not None or part.value_high is not None:
                continue
            if whole.kind not in ("money", "quantity") or whole.unit is None:
                continue
            if not self._of_the.fullmatch(text, part.span.end, whole.span.start):
                continue
            if self._plural_follows(text, whole.span.end):
                continue
            out[index] = _changed(part, kind=whole.kind, unit=whole.unit, rule=f"{part.rule}, part of an amount")
        return out

    def _falling_start(self, text: str, region: Span, first: Match, second: Match) -> Match:
        """'from 6.2 to 5.9 percent': range wording whose ends fall reports a
        change, so it stays two figures, but a bare first one takes the
        second's kind and unit as the first end of a range would."""
        if first.kind != "count" or first.unit or first.qualifier or first.value_high is not None:
            return first
        if second.kind not in _MEASURED_KINDS or second.value_high is not None:
            return first
        if not isinstance(first.value, (int, float)) or not isinstance(second.value, (int, float)):
            return first
        if first.value < second.value:
            return first
        between = text[first.span.end : second.span.start]
        for rule, (joiner, before) in self._ranges:
            if before is not None and joiner.match(between) and before.find(text, region.start, first.span.start):
                name = f"{rule.name}, falling / {first.rule}"
                return _changed(first, kind=second.kind, unit=second.unit, rule=name, latent=False)
        return first

    def _range(self, text: str, region: Span, first: Match, second: Match) -> Match | None:
        if first.kind == "date" and second.kind == "date":
            return self._date_span(text, region, first, second)
        if first.kind == "date" and second.kind == "count" and first.span.slice(text).isdigit():
            # "between 2000 and 3000 people": a count's first end, no year
            first = _changed(first, kind="count", value=int(first.span.slice(text)), rule="<number>")
        if isinstance(first.value, str) or isinstance(second.value, str):
            return None
        if first.value is None or second.value is None:
            return None
        bare_first = first.kind == "count" and first.unit is None
        # "$5-10", "between $5 and 10": the second end takes the first's unit.
        bare_second = second.kind == "count" and second.unit is None and first.kind in _MEASURED_KINDS
        compatible = (first.kind == second.kind and (first.unit == second.unit or bare_first)) or bare_first
        if not (compatible or bare_second) or first.value_high is not None or second.value_high is not None:
            return None
        if first.kind == "count" and second.kind in ("date", "ordinal"):
            return None
        between = text[first.span.end : second.span.start]
        if bare_second and between == "-" and text[first.span.end - 1].isalpha() and first.unit in self._chain:
            if first.unit in self._chain[first.unit].bare_after:
                return None  # "a 5-foot-11 guard": the next part, for _join_parts
        high = second.value
        if high < 0 <= first.value < -high and not between.strip() and text[second.span.start] == "-":
            between, high = "-", -high  # "2 -7 g": a dash set loose, not a minus sign
        for rule, (joiner, before) in self._ranges:
            if not joiner.match(between):
                continue
            if not compatible and before is None and any(c.isalpha() for c in between):
                # "gave $5 to 10 people": only a dash or "between" makes it one
                # range, or an age before it: "aged 18 to 24".
                if first.kind != "duration" or first.measure not in self.rules.measures.age_words:
                    continue
            start = first.span.start
            low = self._inherit_scale(text, first, second)
            if rule.not_after and _word_before(text, start) in rule.not_after:
                if not bare_first:
                    continue  # "rose 19 cents to $3.50" is a change, not a range
                if any(c.isalpha() for c in between):
                    # "grew by 1.2 million to 67 million", but "rose by 2 to 3 million" is a range
                    if high > _CHANGE_TO_LEVEL * low:
                        continue  # a change, then the level
                    if low == first.value and self._changed_by(text, rule, start, second):
                        continue  # "the toll rose by 12 to 45": a change reported, then the level
            if before is not None:
                lead = before.find(text, region.start, first.span.start)
                if lead is None:
                    continue
                start = lead.start()
            if low >= high:
                continue  # "fell from 15 to 12" is a change; "89-89" a score
            kind, measure = (first.kind, first.measure) if not compatible else (second.kind, second.measure)
            return Match(
                span=Span(start, second.span.end),
                rule=f"{rule.name} / {second.rule}",
                kind=kind,
                value=low,
                value_high=high,
                unit=second.unit or first.unit,
                qualifier="between",
                qualifier_low="value",
                qualifier_high="high_value",
                approximate=rule.approximate,
                measure=measure,
            )
        return None

    @staticmethod
    def _changed_by(text: str, rule: RangeRule, start: int, second: Match) -> bool:
        """Whether a bare number at ``start``, before a bare ``second``,
        follows "by" and a past tense of change: what such a verb reports
        happened once, by one amount."""
        if not rule.changed_by or second.kind != "count" or second.unit is not None:
            return False
        return _word_before_the(text, start, "by") in rule.changed_by

    def _date_span(self, text: str, region: Span, first: Match, second: Match) -> Match | None:
        """'from March 30 to April 2', '2 March 2020 - 5 May 2021': two dates
        as the ends of one range. A year written only at the end is the
        start's too ("March 30 to April 2, 2027")."""
        if first.value_high is not None or second.value_high is not None:
            return None
        start, end = str(first.value), str(second.value)
        if start.startswith("--") and not end.startswith("--") and len(end) > 4:
            start = end[:4] + start[1:]
        if len(start) != len(end) or not start < end or "/" in start + end:
            return None
        between = text[first.span.end : second.span.start]
        for rule, (joiner, before) in self._ranges:
            if rule.approximate or not joiner.match(between):
                continue
            lead = before.find(text, region.start, first.span.start) if before is not None else None
            if before is not None and lead is None:
                continue
            return Match(
                span=Span(lead.start() if lead else first.span.start, second.span.end),
                rule=f"{rule.name} / {first.rule}",
                kind="date",
                value=start,
                value_high=end,
                qualifier="between",
                qualifier_low="value",
                qualifier_high="high_value",
            )
        return None

    def _join_parts(self, text: str, region: Span, matches: list[Match]) -> list[Match]:
        """'2 years and 3 months', '$20 43', '6 feet 2': one measurement."""
        out: list[Match] = []
        i = 0
        while i < len(matches):
            current, i = matches[i], i + 1
            while i < len(matches):
                joined = self._add_part(text, region, current, matches[i])
                if joined is None:
                    break
                current, i = joined, i + 1
            out.append(self._add_half(text, region, current))
        return out

    def _add_part(self, text: str, region: Span, first: Match, second: Match) -> Match | None:
        numbers = all(isinstance(m.value, (int, float)) and m.value_high is None for m in (first, second))
        if numbers and first.value == second.value:
            restated = _restated(text, first, second)
            if restated is not None:
                return restated
        if numbers and _MIXED_GAP.fullmatch(text, first.span.end, second.span.start):
            mixed = _mixed_number(text, first, second)
            if mixed is not None:
                return mixed
        between = text[first.span.end : second.span.start]
        if not numbers or first.qualifier or not self._part_joiner.fullmatch(between):
            return None
        bare = second.kind == "count" and second.unit is None and second.qualifier is None and second.value >= 0
        # After a point only a unit written short goes on, and only to a part
        # that names its unit: "2 years. 3 months later", "6 ft. 2 men" end there.
        pointed = "." in between
        if pointed and not _SHORT_WORD_END.search(text, first.span.start, first.span.end):
            return None
        end = second.span.end
        if first.kind == "money" and "/" not in (first.unit or "") and not {",", "-", "."} & set(between):
            if second.kind == "money" and 0 < second.value < 1 and first.value == int(first.value):
                part = Decimal(str(second.value))  # "20 dollars 43 cents"
            elif bare and isinstance(second.value, int) and second.value < 100:
                part = Decimal(second.value) / 100  # "$20 43"
            else:
                return None
            value, unit, name = _plain(Decimal(str(first.value)) + part), first.unit, "money"
        elif first.kind in ("duration", "quantity") and first.unit in self._chain:
            chain = self._chain[first.unit]
            unit = chain.bare_after.get(first.unit) if bare else second.unit
            if unit not in chain.sizes or (not bare and second.kind != first.kind):
                return None
            size, smaller = Decimal(str(chain.sizes[first.unit])), Decimal(str(chain.sizes[unit]))
            if size <= smaller:
                return None
            value = _plain(round(Decimal(str(first.value)) * size / smaller + Decimal(str(second.value)), 9))
            name = chain.name
            part_word = self._part_words.get((name, unit)) if bare else None
            named = part_word.match(text, second.span.end, region.end) if part_word else None
            if named:
                end = named.end()
            elif pointed and bare:
                return None
        else:
            return None
        return _changed(
            first,
            span=Span(first.span.start, end),
            value=value,
            unit=unit,
            rule=f"<{name} in parts> / {first.rule} / {second.rule}",
            latent=False,
        )

    def _add_half(self, text: str, region: Span, match: Match) -> Match:
        if match.kind not in ("duration", "quantity") or match.value_high is not None:
            return match
        half = self._half.match(text, match.span.end, region.end)
        if half is None or not isinstance(match.value, (int, float)):
            return match
        value = _plain(Decimal(str(match.value)) + Decimal("0.5"))
        return _changed(match, span=Span(match.span.start, half.end()), value=value, latent=False)

    def _inherit_scale(self, text: str, first: Match, second: Match) -> float:
        """'between 3 and 4 million': the first end takes the second's scale."""
        low = first.value
        first_text = first.span.slice(text)
        second_text = second.span.slice(text)
        scales = [w for w in _LETTER_RUN.findall(second_text) if w.lower() in self._scales]
        own = [w for w in _LETTER_RUN.findall(first_text) if w.lower() in self._scales]
        if scales and not own and _A_DIGIT.search(first_text):
            scaled = _plain(Decimal(str(low)) * Decimal(str(self._scales[scales[-1].lower()].value)))
            if scaled <= second.value:
                return scaled
        return low

    def _qualify(self, text: str, region: Span, match: Match) -> Match:
        if match.latent and match.value_high is not None:
            return match  # "only a few" stays vague
        lead = self._qualifier_before(text, max(region.start, match.span.start - 40), match.span.start)
        rule, start = None, match.span.start
        if lead:
            phrase, start = lead
            rule = self._qualifier_for("before", phrase, match.kind, _word_before(text, start))
            bounding = rule is not None and match.kind != "date" and (rule.low, rule.high) != ("value", "value")
            if bounding and self._figure_just_before.search(text, max(region.start, start - 24), start):
                # "20% more than a year earlier": the wording compares the figure before
                rule, start = None, match.span.start
        if match.qualifier == "between":
            # "about 10-12 people": a hedge that keeps the value keeps the
            # range's ends too; "more than 10-12" says nothing clear.
            if rule is None or not rule.approximate or rule.low != "value" or rule.high != "value":
                return match
            return _changed(match, span=Span(start, match.span.end), rule=f"{rule.name} / {match.rule}", approximate=True)
        if match.qualifier is not None:
            return match
        tail = self._qualifiers_after.match(text, match.span.end, min(region.end, match.span.end + 40))
        if tail and self._figure_next.match(text, tail.end(), region.end):
            tail = None
        after = self._qualifier_for("after", tail.group(1), match.kind, "") if tail else None
        if rule:
            # "some 30-odd": the first hedge says it; the second is no measure.
            return self._apply(match, rule, Span(start, tail.end(1) if after else match.span.end))
        if after:
            return self._apply(match, after, Span(match.span.start, tail.end(1)))
        return match

    def _qualifier_before(self, text: str, low: int, high: int) -> tuple[str, int] | None:
        """The longest qualifier phrase in ``text[low:high]`` that ends where
        the figure starts (at ``high``, spaces between), and where it starts.

        The window is read backwards, so that one anchored match does what a
        search from each of its forty positions did. Only a phrase that
        starts right at ``low`` needs the character before the window, which
        the reversed window lacks: when it is a letter, that phrase is passed
        over and the window shortened, as the search passed over it.
        """
        while True:
            found = self._qualifiers_before.match(text[low:high][::-1])
            if found is None:
                return None
            group = 1 if found.group(1) is not None else 2
            start = high - found.end(group)
            if start > low or low == 0 or not _WORD_OR_DOLLAR.match(text, low - 1):
                return text[start : high - found.start(group)], start
            low += 1

    def _qualifier_for(self, side: str, phrase: str, kind: str, word_before: str) -> QualifierRule | None:
        for rule in self._qualifier_rules.get((side, _fold(phrase)), []):
            if rule.applies_to(kind) and word_before not in rule.not_after:
                return rule
        return None

    @staticmethod
    def _apply(match: Match, rule: QualifierRule, span: Span) -> Match:
        return _changed(
            match,
            span=span,
            rule=f"{rule.name} / {match.rule}",
            qualifier=rule.qualifier,
            qualifier_low=rule.low,
            qualifier_high=rule.high,
            approximate=rule.approximate,
            latent=False,
        )

    def _rated(self, text: str, region: Span, match: Match) -> Match:
        """'$2 per hour', '$3,500 a month': the unit becomes a rate."""
        if match.kind not in ("money", "quantity") or match.unit is None or "/" in match.unit:
            return match
        found = self._rate.match(text, match.span.end, region.end)
        if found is None or _word_after(text, found.end()) in self.rules.rates.not_before:
            return match  # "$6.7bn a year earlier" is no rate
        if found.group("unit") is not None:
            per = self._rate_unit(found)
        else:
            per = self._singular(found.group("noun").lower())
            if found.group("any") is None and per not in self._rate_nouns:
                return match
        if per in self._percent_words or per == "cent":
            return match
        return _changed(
            match,
            span=Span(match.span.start, found.end()),
            unit=f"{match.unit} / {per}",
            rule=f"<figure> per <unit> / {match.rule}",
        )

    def _rate_unit(self, found: re.Match[str]) -> str:
        """The unit a rate is per, from the rate regex's group ``unit``."""
        word = found.group("unit")
        return self._unit_by_surface.get(word) or self._unit_by_surface[_fold(word)]

    def _counted_per(self, text: str, region: Span, match: Match, noun_end: int) -> Match:
        """'3,000 tests per day', '1,200 people per square mile': a count of
        things per unit of time or space is a rate, and its unit says so."""
        found = self._rate.match(text, noun_end, region.end)
        if found is None or found.group("unit") is None:
            return match  # "10 pupils per class" counts pupils, not a rate of a unit
        if _word_after(text, found.end()) in self.rules.rates.not_before:
            return match  # "12 people a day earlier"
        per = self._rate_unit(found)
        if per in self._percent_words or per == "cent" or "/" in per:
            return match
        return _changed(
            match,
            span=Span(match.span.start, found.end()),
            unit=f"1 / {per}",
            rule=f"<count> per <unit> / {match.rule}",
        )

    def _finish(self, text: str, region: Span, match: Match) -> Match:
        match = self._count_not_year(text, region, match)
        noun = None
        if match.measure:
            measure, measure_span = match.measure, None
        else:
            noun, measure, measure_span, noun_end = self._measure(text, region, match)
            if noun_end is not None and match.kind == "count" and match.unit is None:
                match = self._counted_per(text, region, match, noun_end)
            elif match.kind == "count" and noun is None and match.unit is None and measure in self.rules.measures.age_words:
                # "the average age of a farmer is 59": years, as "aged 59" is
                match = _changed(match, kind="duration", unit="year", rule=f"{match.rule} as an age")
        latent = match.latent
        if match.kind == "date":
            latent = latent and match.qualifier is None
        elif match.kind == "fraction" and match.qualifier is None:
            # A written share ("a third", "3/4") is a figure; a bare "half"
            # needs something to be half of.
            latent = latent and measure is None and noun is None
        elif match.kind in ("count", "ordinal") and match.qualifier is None and match.value_high is None:
            unnamed = measure is None and noun is None
            if latent and noun is not None and _fold(match.span.slice(text)) in self.rules.numbers.latent_alone:
                # "one solution" counts; "said one shopper" only introduces someone.
                latent = _word_before(text, match.span.start) in self.rules.cues.verbs
            # A small whole number with nothing to say what it counts is more
            # often a name, a score or a rank than a claim; "1.356 billion"
            # or "64,900" is a figure even alone.
            small = isinstance(match.value, int) and 0 <= match.value < 1000
            latent = latent or (unnamed and (small or match.kind == "ordinal"))
            # "Fortune 100", "iPhone 11", "Game 7": the number is part of a name.
            latent = latent or (match.kind == "count" and match.unit is None and self._after_name(text, region, match))
        return _changed(match, measure=measure, measure_span=measure_span, latent=latent, noun=noun)

    def _count_not_year(self, text: str, region: Span, match: Match) -> Match:
        """'more than 2000 workers': a bare four-digit number with a count's
        qualifier before it and a plural noun after it is a count, not a
        year ("since at least 1980", "an estimated 2014 population")."""
        if match.kind != "date" or not match.latent or not match.span.slice(text).isdigit():
            return match
        count = _changed(match, kind="count", value=int(match.span.slice(text)), rule=f"{match.rule} as a count")
        qualified = self._qualify(text, region, count)
        if qualified.qualifier is None or self._measure(text, region, qualified)[0] is None:
            return match
        return qualified

    def _after_name(self, text: str, region: Span, match: Match) -> bool:
        """Whether a figure follows a capitalised word inside its sentence."""
        found = _NAME_BEFORE.search(text, max(region.start, match.span.start - 60), match.span.start)
        if found is None or found.group(1) in self._month_number:
            return False
        name_start = found.start(1)
        if found.group(1).isupper() and self._capitals_before.search(text, max(region.start, name_start - 40), name_start):
            return False  # a headline in capitals, "FLOOD KILLS 300": no name to tell by its capital
        before = text[max(region.start, found.start(1) - 3) : found.start(1)].strip()
        return bool(before) and before[-1] not in ".!?:;\"\u201c(\u2014"

    def _within_a_time(self, text: str, written: str, end: int) -> bool:
        """Whether a share written "N in M" is followed by a unit of time,
        which makes M a duration and N what happened within it: "lost 4 in
        10 days", "spent 40 in 90 days". "One in every five days" and "3 out
        of 4 days" stay shares of the days."""
        if {"every", "of"} & set(written.lower().split()):
            return False
        word = self._next_word.match(text, end)
        return word is not None and _fold(word.group(1)) in self._duration_words

    def _past_the_whole(
        self, text: str, after: list[tuple[str, int]], i: int, end: int, limit: int
    ) -> tuple[list[tuple[str, int]], int]:
        """For a count, share or percentage of a counted whole, the words
        after the whole's figure, which name what both count: "four of the
        [12] ministers", "half of the [1.2 million] voters". ``after[i]`` is
        the first word past "of (the)", ``end`` where the words read so far
        end: the words, and the index of the first past the figure (``i``
        when no figure is there). The caller leaves out "one of 12
        students": one of many is no count of anything."""
        if i < len(after):
            while i < len(after) and all(self._number_word(part) for part in after[i][0].lower().split("-")):
                i += 1
            return after, i
        number = self._whole_in_digits.match(text, end, limit)
        if number is None:
            return after, i
        words = _adjoining_words(text, number.end(), limit)[0]
        scaled = 0  # "the 1.2 million residents"
        while scaled < len(words) and self._number_word(words[scaled][0].lower()):
            scaled += 1
        return after + words, i + scaled

    def _number_word(self, word: str) -> bool:
        """Whether a word, lower case, is part of a number: "twelve", "million"."""
        return word in self._number_value or word in self._scales or word in self._hundred

    def _noun_phrase(self, text: str, match: Match, after: list[tuple[str, int]]) -> tuple[int, int] | None:
        """Which of the words after a figure name what it counts: (first, last).

        Up to three words in a row, ending at the first plural ("seven
        [European countries]"); for one thing, a share or an ordinal, the
        first word ("one [solution]", "third [meeting]"). A count of many
        with no plural after it names nothing ("around 73 [raising]").
        """
        lexicon = self.rules.measures
        words: list[str] = []
        for index, (word, start) in enumerate(after[:3]):
            lowered = word.lower()
            if (
                lowered in lexicon.not_measures
                or all(part in self._number_value for part in lowered.split("-"))
                or lowered in self._scales
                or word in self._month_number
                or (index and text[after[index - 1][1] + len(after[index - 1][0]) : start].strip())
            ):
                break
            words.append(word)
        if not words:
            return None
        many = match.kind == "count" and isinstance(match.value, int) and match.value != 1
        if many or match.value_high is not None:
            plural = next((i for i, word in enumerate(words) if self._plural(word)), None)
            if plural is None:
                return None
            # "20,000 police officers", "staff members": a plural without an
            # "s" names what the next plural is, and so does a name that
            # ends like one: "31 Abrams tanks", "3 Mercedes cars"
            following = plural + 1
            if following < len(words) and self._plural(words[following]):
                if words[plural].lower() in self._plural_words or (
                    words[plural][0].isupper() and words[following][0].islower()
                ):
                    plural = following
            return 0, plural
        if match.kind == "count" and not isinstance(match.value, int):
            return 0, 0  # "0.5 WAR", "7.3 points": a measured amount of something
        if not (words[0][0].islower() or self._plural(words[0])):
            return None
        if len(words) > 1 and words[0].lower() in lexicon.skip_after:
            return 0, 1  # "third [consecutive month]", "one [new member]": the next word is the head
        return 0, 0

    def _adverb(self, after: list[tuple[str, int]], index: int) -> bool:
        """Whether the word at ``index`` says how or when ("rose 5% annually",
        "rose 5% late on Monday"): an adverb's ending, or a listed adverb, and
        no noun after it ("5% monthly growth", "5% late fees")."""
        lexicon = self.rules.measures
        lowered = after[index][0].lower()
        ending = lowered.endswith(lexicon.adverb_endings) and len(lowered) >= 5 and lowered not in lexicon.not_adverbs
        if not ending and lowered not in lexicon.adverbs:
            return False
        return index + 1 == len(after) or after[index + 1][0].lower() in lexicon.not_measures

    def _modifies(self, word: str, following: str) -> bool:
        """Whether ``word`` says which ``following`` is ("city's", "global")."""
        lexicon = self.rules.measures
        lowered = word.lower()
        if not lowered.endswith(self._modifier_endings) or lowered in lexicon.not_modifiers:
            return False
        lowered = following.lower()
        return following[0].islower() and lowered not in lexicon.not_measures and lowered not in lexicon.verbs_before

    def _plural(self, word: str) -> bool:
        lowered = word.lower()
        if lowered in self._plural_words:
            return True
        return lowered.endswith(self._plural_endings) and not lowered.endswith(self._singular_endings)

    def _singular(self, word: str) -> str:
        if word.endswith("ies") and len(word) > 4:
            return word[:-3] + "y"
        if self._plural(word) and word.endswith("s") and word not in self._plural_words:
            return word[:-1]
        return word

    def _measure(
        self, text: str, region: Span, match: Match
    ) -> tuple[str | None, str | None, Span | None, int | None]:
        """(noun, measure, measure span, where the noun ends) of a figure."""
        if match.kind == "date":
            return None, None, None, None
        lexicon = self.rules.measures
        figure_end = match.span.end
        # "a record (7.5 million) units", "46 feet (14 metres) deep": the noun
        # is after the bracket, but a verb there (a report verb, an
        # auxiliary, a past tense) is the clause's, not the figure's: "half
        # of teens (55%) reported ...", "rates (22.2 per 100,000) followed by"
        bracketed = text[match.span.start - 1 : match.span.start] == "(" and text[figure_end : figure_end + 1] == ")"
        if bracketed:
            figure_end += 1
        stop = _CLAUSE_STOP.search(text, figure_end, region.end)
        limit = min(stop.start() if stop else region.end, match.span.end + 120)
        # The words right after the figure, up to anything else: in "one of
        # 12 students" the figure 12 stands between, and the noun is not ours
        # (but see _past_the_whole).
        origin = _hanging_hyphen_end(text, Span(match.span.start, figure_end), limit)
        if self._comparison_after.match(text, origin, limit):
            limit = origin  # nothing after it is this figure's noun: look for a verb before
        after, end = _adjoining_words(text, origin, limit)
        i = 0
        while i < len(after) and after[i][0].lower() in lexicon.skip_after:
            i += 1
        # Skipped words that say something stay in the noun: "five [new seasons]".
        while i > 0 and after[i - 1][0].lower() not in lexicon.not_measures:
            i -= 1
        one = match.kind == "count" and match.value == 1
        if match.kind in _PARTS and not one and any(word.lower() == "of" for word, _ in after[:i]):
            after, i = self._past_the_whole(text, after, i, end, limit)
        if bracketed and i < len(after):
            word = after[i][0].lower()
            if word in lexicon.verbs_before or word in lexicon.auxiliaries or word.endswith(lexicon.past_endings):
                after = after[:i]
        phrase = self._noun_phrase(text, match, after[i:]) if match.kind in ("count", "fraction", "ordinal") else None
        attached = bool(after) and text[origin : after[0][1]] == "-"
        if match.kind == "count" and attached and after[0][0][0].islower() and after[0][0].lower() not in lexicon.not_measures:
            phrase, i = (0, 0), 0  # "a six-cylinder engine", "a 200-page report": one of them each
        if phrase is None and i < len(after):
            # "at least 300 dead", "12 injured", "40 were killed", "12 have died"
            verb = i
            while verb < len(after) - 1 and after[verb][0].lower() in lexicon.auxiliaries:
                verb += 1
            if after[verb][0].lower() in lexicon.verbs_before:
                word, start = after[verb]
                return None, word.lower(), Span(start, start + len(word)), None
        if phrase is None and i < len(after) and match.kind not in ("count", "fraction", "ordinal"):
            word = after[i][0]
            lowered = word.lower()
            if (
                word[0].islower()
                and lowered not in lexicon.not_measures
                and lowered not in self._number_value
                and not self._adverb(after, i)
            ):
                # "70% of the city's buildings", "4% of its annual federal
                # budget": the word after possessives and modifiers is measured
                last = i
                while last + 1 < len(after) and last - i < 2 and self._modifies(after[last][0], after[last + 1][0]):
                    last += 1
                phrase = (0, last - i)
        if phrase is not None:
            first, last = after[i + phrase[0]], after[i + phrase[1]]
            noun_end = last[1] + len(last[0])
            noun = " ".join(text[first[1] : noun_end].split())
            head = last[0].lower()
            head_span = Span(last[1], noun_end)
            if head not in lexicon.generic_nouns:
                if match.kind in ("count", "fraction", "ordinal"):
                    return noun, head, head_span, noun_end
                return None, head, head_span, None
            # "112 people died", "killed 112 people": the verb says more.
            for verb, verb_start in after[i + phrase[1] + 1 : i + phrase[1] + 5]:
                if verb.lower() in lexicon.verbs_before:
                    return noun, verb.lower(), Span(verb_start, verb_start + len(verb)), noun_end
                if verb.lower() not in lexicon.auxiliaries:
                    break
            verb_before = self._verb_before(text, region, match)
            return noun, *(verb_before if verb_before[0] else (head, head_span)), noun_end
        if match.kind == "ordinal":
            return None, None, None, None
        if match.kind == "duration":
            # "injured 640 in 48 hours": the verb is not the duration's; but
            # "fell by 1.3 years" and "rose to 80 years" are its change and level
            word = _word_before(text, match.span.start)
            if word not in lexicon.change_words and word not in lexicon.level_words:
                return None, None, None, None
        return None, *self._verb_before(text, region, match), None

    def _aside(self, text: str, start: int, end: int) -> bool:
        """A short stretch set off by commas that reports or describes:
        "officials say", "which was revised on Monday", "according to police"."""
        words = [word.lower() for word in _WORD.findall(text, start, end)]
        cues = self.rules.cues
        return 0 < len(words) <= 6 and (
            words[0] in cues.relative_pronouns or words[0] == "according" or any(w in cues.report_words for w in words)
        )

    def _verb_before(self, text: str, region: Span, match: Match) -> tuple[str | None, Span | None]:
        lexicon = self.rules.measures
        window_start = max(region.start, match.span.start - 80)
        stops = [stop.span() for stop in self._clause_stop_before.finditer(text, window_start, match.span.start)]
        # "fell 500 points, or 1.6%": the same change said again, after a comma
        if stops and text[stops[-1][0]] == "," and _RESTATING.fullmatch(text, stops[-1][1], match.span.start):
            stops.pop()
        before: list[tuple[str, int]] = []
        if len(stops) >= 2 and text[stops[-1][0]] == text[stops[-2][0]] == "," and self._aside(text, stops[-2][1], stops[-1][0]):
            # "The toll, officials say, stands at 45": the clause goes on around the aside.
            start = stops[-3][1] if len(stops) >= 3 else window_start
            before = [(m.group(), m.start()) for m in _WORD.finditer(text, start, stops[-2][0])]
        if stops:
            window_start = stops[-1][1]
        before += [(m.group(), m.start()) for m in _WORD.finditer(text, window_start, match.span.start)]
        window = before[-lexicon.window_before :]
        if window and window[-1][0].lower() in lexicon.level_words:
            # "the death toll rose to 45": a level, not a change; what
            # reached it is measured, not how it moved
            for word, start in reversed(window):
                if word.lower() in lexicon.nouns_before:
                    return word.lower(), Span(start, start + len(word))
        for word, start in reversed(window):
            if word.lower() in lexicon.verbs_before or word.lower() in lexicon.nouns_before:
                return word.lower(), Span(start, start + len(word))
        # "the average age of a farmer is 59": a noun that names the measure
        # may stand further back, as the subject of a figure it is equal to
        if len(before) > lexicon.window_before and before[-1][0].lower() in lexicon.copulas:
            for word, start in reversed(before[-2 * lexicon.window_before : -lexicon.window_before]):
                if word.lower() in lexicon.nouns_before:
                    return word.lower(), Span(start, start + len(word))
        return None, None


def _mixed_number(text: str, first: Match, second: Match) -> Match | None:
    """'2 1/2 years', '3 3/4': a whole number and a fraction below one."""
    whole, share = first.value, second.value
    if first.kind != "count" or first.unit or first.qualifier or not isinstance(whole, int) or whole < 0:
        return None
    if not isinstance(share, (int, float)) or not 0 < share < 1 or not _SLASH_START.match(text, second.span.start):
        return None
    return _changed(
        second,
        span=Span(first.span.start, second.span.end),
        kind="count" if second.kind == "fraction" else second.kind,
        value=_plain(Decimal(whole) + Decimal(str(share))),
        rule=f"<whole> <fraction> / {first.rule} / {second.rule}",
        latent=False,
    )


def _restated(text: str, first: Match, second: Match) -> Match | None:
    """'45 (forty-five)', 'ten (10)': one figure, written twice in two ways.

    The two must hold the same value, with no qualifier, and the second must
    fill the brackets; the figure keeps the unit either of them gives.
    """
    close = _RESTATED_CLOSE.match(text, second.span.end)
    if close is None or not _RESTATED_OPEN.fullmatch(text, first.span.end, second.span.start):
        return None
    if first.qualifier or second.qualifier or (first.unit and second.unit and first.unit != second.unit):
        return None
    if first.kind != second.kind and "count" not in (first.kind, second.kind):
        return None
    kept = second if first.kind == "count" and first.unit is None else first
    return _changed(
        kept,
        span=Span(first.span.start, close.end()),
        rule=f"<figure> (<figure restated>) / {first.rule} / {second.rule}",
    )


def _restatements(text: str, matches: list[Match]) -> list[Match]:
    """'Nearly 3 in 10 Americans, or 29%': a figure said again in other
    terms, after a comma and "or", measures what the first one does."""
    restated = list(matches)
    for index in range(1, len(restated)):
        first, second = restated[index - 1], restated[index]
        if second.measure is not None or first.measure is None:
            continue
        end = max(first.span.end, first.measure_span.end if first.measure_span else 0)
        if text[end : end + 1] == "," and _RESTATING.fullmatch(text, end + 1, second.span.start):
            restated[index] = _changed(second, measure=first.measure, measure_span=first.measure_span)
    return restated


def _without_overlaps(matches: list[Match]) -> list[Match]:
    """Drop a figure that a wider neighbour took in ("an hour [and a half]")."""
    kept: list[Match] = []
    for match in matches:
        if kept and match.span.start < kept[-1].span.end:
            continue
        kept.append(match)
    return kept


def _inside_any(positions: Sequence[int], spans: list[tuple[int, int]]) -> list[bool]:
    """For each position, whether some (start, end) span holds it. The
    spans may overlap: a position is held when the furthest end among the
    spans starting at or before it lies past it."""
    if not spans:
        return [False] * len(positions)
    spans = sorted(spans)
    starts = [start for start, _ in spans]
    reach = list(itertools.accumulate((end for _, end in spans), max))
    held = []
    for position in positions:
        index = bisect.bisect_right(starts, position) - 1
        held.append(index >= 0 and reach[index] > position)
    return held


def _adjoining_words(text: str, start: int, limit: int) -> tuple[list[tuple[str, int]], int]:
    """Up to eight words from ``start`` on with only spaces or hyphens
    between them, each with where it starts, and where the last one ends."""
    words: list[tuple[str, int]] = []
    end = start
    for word in _WORD.finditer(text, start, limit):
        if len(words) == 8 or text[end : word.start()].strip(" \t\n-"):
            break
        words.append((word.group(), word.start()))
        end = word.end()
    return words, end


def _hanging_hyphen_end(text: str, span: Span, limit: int) -> int:
    """Where the words a figure counts begin: right after it, or for a hyphen
    left hanging ("two-, three- and four-bedroom") at the hyphen of the word
    that ends the list."""
    if not span.slice(text).endswith("-"):
        return span.end
    last = _ATTACHED_HYPHEN.search(text, span.end, limit)
    return last.start() if last else span.end


def _word_after(text: str, position: int) -> str:
    found = _SPACED_WORD.match(text, position, position + 30)
    return found.group(1).lower() if found else ""


def _word_before(text: str, position: int) -> str:
    """The last word, lower-cased, of the 30 characters before ``position``,
    with only spaces and hyphens after it; else ""."""
    # Read backwards: one match, where a search for the word followed by the
    # end tried again from each letter.
    found = _SPACED_WORD.match(text[max(0, position - 30) : position][::-1])
    return found.group(1)[::-1].lower() if found else ""


def _word_before_the(text: str, position: int, word: str) -> str:
    """The word before ``word`` when ``word`` is the last before ``position``
    ("rose" for "rose by |12"), lower-cased; else ""."""
    if _word_before(text, position) != word:
        return ""
    before = text[max(0, position - 40) : position].rstrip(" \t\n\r-")[: -len(word)]
    return _word_before(before, len(before))


def _fold(surface: str) -> str:
    return " ".join(surface.lower().split())


def _decimal(number: float) -> Decimal:
    """A rule value as an exact Decimal: 1000000.0 is 1000000, not 1000000.0."""
    return Decimal(int(number)) if number == int(number) else Decimal(str(number))


def _plain(number: Decimal | float) -> float:
    """An int when the number is whole (290000, not 290000.0), else a float."""
    as_decimal = Decimal(str(number)) if not isinstance(number, Decimal) else number
    if as_decimal == as_decimal.to_integral_value():
        return int(as_decimal)
    return float(as_decimal)


def compile_rules(rules: RuleSet) -> Matcher:
    """Compile a ``RuleSet`` once; the ``Matcher`` can then scan many texts."""
    return Matcher(rules)
