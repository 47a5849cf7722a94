"""Rule definitions: format-neutral dataclasses that check themselves.

The YAML reader (``loader.py``) builds these; a definition that does not make
sense raises ``ValueError`` with a message the loader prefixes with the file,
line and rule name. Nothing changes a definition once built; they are not
frozen for the reason given in ``factcheck.model``.

Definitions compare by identity (``eq=False``): nothing compares two of
them, and Python would write and compile an ``__eq__`` for each class at
every start. The lexicons (``NumberWords``, ``MeasureLexicon``, ``RuleSet``)
keep object's short ``repr`` too, where the generated one would list every
word of the rule files. Annotations stay objects, as in ``factcheck.model``.
"""

import re
from dataclasses import field

from factcheck.compiled import cached_regex
from factcheck.model import KINDS, CueLexicon, datatype

BOUND_SPECS = ("value", None)
PATTERN_CLASSES = (
    "number",
    "vague",
    "fraction",
    "ordinal",
    "currency_symbol",
    "currency_word",
    "percent_word",
    "duration_word",
    "unit_word",
    "month",
    "month_number",
    "day",
    "year",
    "short_year",
    "scale",
    "multiplier",
    "multiplier_verb",
    "currency_subunit",
    "series_word",
    "comparison",
    "tens_span",
    "span_part",
)
_PLACEHOLDER = cached_regex(r"\{([a-z_]+)\}")


def _require_words(words: tuple[str, ...], what: str) -> None:
    for word in words:
        if not isinstance(word, str) or not word.strip():
            raise ValueError(f"{what}: every entry must be a non-empty string, got {word!r}")


@datatype(eq=False)
class Scale:
    """A scale word's factor: "million" 1e6, "k" 1e3."""

    value: float
    attached: bool = False  # only right after digits: "3bn", "25k"


@datatype(eq=False)
class Vague:
    """A vague amount ("dozens", "a few") as the interval it stands for."""

    low: float
    high: float
    latent: bool = False

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")


@datatype(eq=False, repr=False)
class NumberWords:
    """The words numbers are written in (numbers.yaml), with their values."""

    units: dict[str, float]
    tens: dict[str, float]
    hundred: tuple[str, ...]
    scales: dict[str, Scale]
    articles: tuple[str, ...]
    fractions: dict[str, float]
    ordinals: dict[str, float]
    vague: dict[str, Vague]
    latent_alone: frozenset[str]
    multipliers: dict[str, float] = field(default_factory=dict)  # "doubled": 2
    multiplier_verbs: dict[str, float] = field(default_factory=dict)  # "double": 2, in "expected to double"
    decimal_points: tuple[str, ...] = ()  # "three [point] five"
    series_words: tuple[str, ...] = ()  # "a third [term]": a rank, not a share
    comparison_words: tuple[str, ...] = ()  # "three times [as] many": a multiplier
    not_compared: tuple[str, ...] = ()  # "three times as [the] crowd sang": no comparison
    tens_spans: dict[str, float] = field(default_factory=dict)  # "forties": 40, as in "the forties"
    span_parts: dict[str, Vague] = field(default_factory=dict)  # "mid": 4 to 6, as in "the mid-40s"


@datatype(eq=False)
class QualifierRule:
    """Wording around a figure and the interval it allows."""

    name: str
    qualifier: str
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    low: str | None = None
    high: str | None = None
    approximate: bool = False
    kinds: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()  # words right before the wording that make the rule pass
    examples: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.before and not self.after:
            raise ValueError("needs 'before' or 'after' phrases")
        _require_words(self.before + self.after, "before/after")
        for key, spec in (("low", self.low), ("high", self.high)):
            if spec not in BOUND_SPECS:
                raise ValueError(f"{key} must be 'value' or null, got {spec!r}")
        _check_kinds(self.kinds)

    def applies_to(self, kind: str) -> bool:
        if self.kinds:
            return kind in self.kinds
        return kind != "date"


@datatype(eq=False)
class Currency:
    """One currency: its ISO 4217 code and how texts write it."""

    code: str
    symbols: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    subunits: tuple[str, ...] = ()  # hundredths: "cents", "pence"
    # Symbols that are money only before a number with a scale word, a
    # thousands separator or decimals: "R2 billion", but "R21" is a road.
    scaled_symbols: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z]{3}", self.code or ""):
            raise ValueError(f"currency code must be three capital letters, got {self.code!r}")
        _require_words(
            self.symbols + self.words + self.subunits + self.scaled_symbols, "symbols/words/subunits/scaled_symbols"
        )


@datatype(eq=False)
class UnitSurfaces:
    """A unit and the words that stand for it in a text."""

    unit: str  # a pint unit expression
    words: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.words:
            raise ValueError(f"unit {self.unit!r} has no words")
        _require_words(self.words, "words")


@datatype(eq=False, repr=False)
class MeasureLexicon:
    """The words that say what a figure measures ("killed", "turnout")."""

    verbs_before: frozenset[str]
    nouns_before: frozenset[str]
    window_before: int
    generic_nouns: frozenset[str]
    auxiliaries: frozenset[str]  # between a noun and its verb: "people [have been] displaced"
    skip_after: tuple[str, ...]
    not_measures: frozenset[str]
    groups: dict[str, str]  # measure word -> group key ("killed" -> "deaths")
    plural_words: frozenset[str] = frozenset()  # plurals without an "s": "people", "police"
    plural_endings: tuple[str, ...] = ("s",)  # "countries", "fishermen"
    singular_endings: tuple[str, ...] = ("ss",)  # end in "s" but one thing: "virus", "analysis"
    modifier_endings: tuple[str, ...] = ()  # "global", "annual": before a noun, they say which
    not_modifiers: frozenset[str] = frozenset()  # "public": such endings, but often the noun itself
    copulas: frozenset[str] = frozenset()  # "is", "stands at": a figure equal to its subject
    level_words: frozenset[str] = frozenset()  # "rose [to] 45": the level a change reached
    change_words: frozenset[str] = frozenset()  # "fell [by] 1.3 years": the size of a change
    adverb_endings: tuple[str, ...] = ()  # "annually": after a figure, how or when, never what
    not_adverbs: frozenset[str] = frozenset()  # "supply", "family": such endings, but nouns
    adverbs: frozenset[str] = frozenset()  # "late": how or when with no such ending, unless a noun follows
    clause_joiners: tuple[str, ...] = ()  # "and", "while": a verb before them is another figure's
    comparisons: tuple[str, ...] = ()  # "year-on-year", "y/y": what a figure is compared with, never its measure
    age_words: frozenset[str] = frozenset()  # "age": a bare count they measure is an age in years
    past_endings: tuple[str, ...] = ()  # "reported": after a bracketed figure, the sentence's verb


@datatype(eq=False)
class Calendar:
    """Month names, and the four-digit numbers read as years."""

    months: dict[str, int]
    year_range: tuple[int, int]
    century_pivot: int = 50  # two-digit years below it are 20xx, others 19xx


@datatype(eq=False)
class PatternRule:
    """One kind of figure, as a regular expression over word classes."""

    name: str
    kind: str
    pattern: str
    value: float | None = None
    preceded_by: tuple[str, ...] = ()
    latent: bool = False
    measure: str | None = None
    examples: tuple[str, ...] = ()
    unit: str | None = None  # a fixed unit: "percent" for "doubled"
    negative: bool = False  # the figure is below zero: "2 degrees below zero"

    def __post_init__(self) -> None:
        _check_kinds((self.kind,))
        _require_words(self.preceded_by, "preceded_by")
        # The word before a match is compared in lower case, so "In" must work too.
        object.__setattr__(self, "preceded_by", tuple(w.lower() for w in self.preceded_by))
        unknown = set(_PLACEHOLDER.findall(self.pattern)) - set(PATTERN_CLASSES)
        if unknown:
            raise ValueError(
                f"unknown word class {{{sorted(unknown)[0]}}} in pattern; "
                f"known: {', '.join(PATTERN_CLASSES)}"
            )

    @property
    def classes(self) -> tuple[str, ...]:
        return tuple(_PLACEHOLDER.findall(self.pattern))


@datatype(eq=False)
class RangeRule:
    """How two figures join into a range: "between 10 and 12", "10-12"."""

    name: str
    joiners: tuple[str, ...]
    before: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    approximate: bool = False  # "three or four years"
    not_after: tuple[str, ...] = ()  # words before the first figure that make it a change
    # Past tenses that, before "by", make two bare numbers a change and its level
    changed_by: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.joiners:
            raise ValueError("needs at least one joiner")
        _require_words(self.joiners + self.before, "joiners/before")


@datatype(eq=False)
class Idiom:
    """Wording that holds a number but states no figure: a literal phrase, or
    a pattern with word classes (clock times, street addresses)."""

    phrase: str | None = None
    examples: tuple[str, ...] = ()
    name: str | None = None
    pattern: str | None = None

    def __post_init__(self) -> None:
        if bool(self.phrase) == bool(self.pattern):
            raise ValueError("needs either 'phrase' or 'pattern'")
        if self.pattern:
            unknown = set(_PLACEHOLDER.findall(self.pattern)) - set(PATTERN_CLASSES)
            if unknown:
                raise ValueError(f"unknown word class {{{sorted(unknown)[0]}}} in pattern")


@datatype(eq=False)
class Compound:
    """Units of one kind, to add up a measurement written in parts."""

    name: str
    sizes: dict[str, float]  # unit -> its size in the smallest unit of the chain
    bare_after: dict[str, str] = field(default_factory=dict)  # "1 hour thirty": minutes
    # Words that name a unit only after a bare last part: "6 ft 2 in".
    part_words: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.sizes:
            raise ValueError("needs 'sizes'")
        for unit in [*self.bare_after.values(), *self.part_words]:
            if unit not in self.sizes:
                raise ValueError(f"bare_after or part_words names {unit!r}, which is not in 'sizes'")


@datatype(eq=False)
class RateWords:
    """What turns a unit into a rate: "$2 per hour", "$3,500 a month"."""

    any_noun: tuple[str, ...] = ()  # joiners before any noun: "per share"
    listed_nouns: tuple[str, ...] = ()  # joiners before a unit or a listed noun: "a month"
    nouns: tuple[str, ...] = ()  # nouns a rate may be counted in: "share", "head"
    not_before: tuple[str, ...] = ()  # words after the rate that undo it: "a year [ago]"


@datatype(eq=False, repr=False)
class RuleSet:
    """Everything the engine and attribution read, loaded once per scan."""

    numbers: NumberWords
    qualifiers: tuple[QualifierRule, ...]
    currencies: tuple[Currency, ...]
    percent_words: tuple[str, ...]
    durations: tuple[UnitSurfaces, ...]
    quantities: tuple[UnitSurfaces, ...]
    measures: MeasureLexicon
    calendar: Calendar
    patterns: tuple[PatternRule, ...]
    ranges: tuple[RangeRule, ...]
    idioms: tuple[Idiom, ...]
    cues: CueLexicon
    abbreviations: frozenset[str]  # words whose full stop ends no sentence
    files: tuple[str, ...] = field(default=())  # the rule files read, as absolute paths
    rates: RateWords = field(default_factory=RateWords)
    compounds: tuple[Compound, ...] = ()
    compound_joiners: tuple[str, ...] = ()  # between the parts: ",", "and"
    compound_halves: tuple[str, ...] = ()  # "an hour [and a half]"
    metre_nouns: frozenset[str] = frozenset()  # "a [depth] of 1m": metres, not a million


def _check_kinds(kinds: tuple[str, ...]) -> None:
    for kind in kinds:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
