"""The shared vocabulary of factcheck: plain dataclasses and one named tuple, no I/O.

Every stage imports its types from here and from nowhere else, so no stage
depends on another stage's module. Offsets are half-open ``Span``s into
``Document.text``, which is the decoded input exactly as read: ingest marks
what to skip, it never rewrites text.

No stage changes an object it was given: a changed copy is made with
``dataclasses.replace``. That is a rule of the code, not enforced: only
``Span``, a key of dicts and sets, cannot be changed. Python writes and
compiles the methods of every dataclass when its module is imported, and
a frozen class's are longer (each field set through ``object.__setattr__``)
and slower to run: frozen, these classes made ``factcheck extract`` on a
file of short news items 6% slower, nearly all of it at import. ``Span``
is a named tuple instead: its hash, equality and order are the tuple's,
written in C, and it is built in two thirds of the time a frozen
dataclass took.

Unlike the other modules, this one and ``rules/definitions.py`` keep their
annotations as objects, not strings (no ``from __future__ import
annotations``): given a string, the dataclass decorator reads each field's
to see whether it names a ``ClassVar`` or an ``InitVar``, 0.7% of a short
``factcheck extract``.
"""

from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple, dataclass_transform

# Each tuple is the one list of valid values for a field, as written in YAML.
SOURCE_STATUSES = ("ok", "unavailable", "empty", "error", "paywalled", "not-article")
KINDS = (
    "count",
    "money",
    "percent",
    "fraction",
    "quantity",
    "duration",
    "date",
    "ordinal",
    "tally",
)
REVIEW_STATUSES = (
    "unreviewed",
    "confirmed",
    "disputed",
    "false",
    "needs-source",
    "not-a-claim",
)
GROUP_STATUSES = ("shared", "conflict", "update", "single")
# What a person can rule about claims that are compared (claims.yaml `decisions:`).
DECISIONS = ("same", "not-same", "resolved")
# Named here, not in the stages that use them, so that the command line can
# offer them without loading those stages.
EXPORT_FORMATS = ("json", "csv", "claimreview", "graphml", "gexf")
DEFAULT_CACHE_DIR = ".factcheck-cache"  # fetched pages, next to the claims file
# The letters of a word. Attribution reads a sentence's words this way to
# see whether it can hold a cue at all, and the loader splits cues alike.
WORD_LETTERS = r"[^\W\d_]+"


@dataclass_transform(field_specifiers=(field,))
def datatype(cls: Any = None, /, **options: Any) -> Any:
    """How factcheck declares its dataclasses: ``@dataclass``, with one
    ``__repr__`` and, for a class that is neither frozen nor ordered, one
    ``__eq__`` shared by every class, and an ``__init__`` written when the
    class is first built rather than when it is declared.

    The dataclass decorator writes out and compiles these methods for each
    class when its module is imported, 0.2 ms a method and more for a long
    ``__init__``. Some thirty classes lie on the way to ``factcheck
    extract``, and most are never built there: the rule definitions come
    from the rules cache already built, and the claim records serve a scan.
    Compiling their methods at every start was a seventh of the start-up.
    The shared methods read the fields when they are called and give the
    same results: the same text, equality field by field for two objects of
    one class, and no hash for a class that can change. The ``__init__`` is
    the decorator's own, written for a twin class with the same fields the
    first time anything looks it up. ``repr=False``, ``eq=False`` and
    ``init=False`` leave a class with ``object``'s, as they do
    ``dataclass``. A datatype takes no ``InitVar`` or ``ClassVar`` field.
    """
    shown = options.pop("repr", True)
    # Frozen and ordered classes keep the decorator's methods: their hash
    # and order go with its equality.
    shared_eq = options.get("eq", True) and not any(options.get(o) for o in ("order", "frozen", "unsafe_hash"))
    if shared_eq:
        options["eq"] = False
    later_init = options.pop("init", True)

    def make(cls: type) -> type:
        made = dataclass(cls, repr=False, init=False, **options)
        if len(fields(made)) != len(made.__dataclass_fields__):  # type: ignore[attr-defined]
            raise TypeError(f"{cls.__qualname__}: a datatype takes no InitVar or ClassVar field")
        if later_init and "__init__" not in cls.__dict__:
            made.__init__ = _InitOnFirstUse(made, bool(options.get("frozen")))  # type: ignore[misc]
        if shown and "__repr__" not in cls.__dict__:
            made.__repr__ = _datatype_repr  # type: ignore[method-assign]
        if shared_eq and "__eq__" not in cls.__dict__:
            made.__eq__ = _datatype_eq  # type: ignore[method-assign,assignment]
            if "__hash__" not in cls.__dict__:
                made.__hash__ = None  # type: ignore[assignment]
        return made

    return make if cls is None else make(cls)


class _InitOnFirstUse:
    """A datatype's ``__init__`` until it is first looked up (to build an
    object, or by ``inspect``), when it puts the written one in its place."""

    def __init__(self, owner: type, frozen: bool) -> None:
        self.owner, self.frozen = owner, frozen

    def __get__(self, instance: Any, kind: type | None = None) -> Any:
        written = _written_init(self.owner, self.frozen)
        self.owner.__init__ = written  # type: ignore[misc]
        return written if instance is None else written.__get__(instance, kind)


def _written_init(owner: type, frozen: bool) -> Any:
    """The ``__init__`` the dataclass decorator writes for ``owner``'s
    fields, taken from a twin class that has those fields and nothing else."""
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__annotations__": annotations, "__module__": owner.__module__}
    namespace["__qualname__"] = owner.__qualname__
    # With no docstring the decorator would write one from inspect.signature,
    # a third of the twin's cost, for a class nobody sees.
    namespace["__doc__"] = owner.__doc__ or owner.__name__
    for each in fields(owner):
        annotations[each.name] = each.type
        namespace[each.name] = field(
            default=each.default, default_factory=each.default_factory, init=each.init, kw_only=each.kw_only
        )
    if hasattr(owner, "__post_init__"):
        namespace["__post_init__"] = owner.__post_init__  # the twin's __init__ then calls it, as the owner's
    twin = dataclass(type(owner.__name__, (), namespace), repr=False, eq=False, frozen=frozen)
    return twin.__init__


def _datatype_repr(self: Any) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
    return f"{type(self).__qualname__}({shown})"


def _datatype_eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    compared = [f.name for f in fields(self) if f.compare]
    return tuple(getattr(self, name) for name in compared) == tuple(getattr(other, name) for name in compared)


_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def power_of_ten_text(value: Any) -> str | None:
    """A value too large or too small to read written out (from 10^18, or
    below a millionth), as a power of ten: ``2.5e-07`` -> ``"2.5 × 10⁻⁷"``;
    None for any other value. Shared by the reports and ``factcheck extract``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value == 0 or 1e-6 <= abs(value) < 1e18:
        return None
    mantissa, _, power = repr(float(value)).partition("e")
    return f"{mantissa.removesuffix('.0')} \u00d7 10{str(int(power)).translate(_SUPERSCRIPT)}"


class FactcheckError(Exception):
    """A problem the user must fix: a bad rule file, claims file, input or
    option. ``str()`` is one line that starts with the file it is about."""


class _SpanEnds(NamedTuple):
    start: int
    end: int


class Span(_SpanEnds):
    """A half-open character range ``[start, end)`` into a document's text.

    A tuple of its two ends, so it equals, hashes and sorts as
    ``(start, end)`` does; ``len()`` is its length.

    >>> Span(4, 9).slice("the five-year war")
    'five-'
    """

    __slots__ = ()

    def __new__(cls, start: int, end: int) -> "Span":
        if not 0 <= start <= end:
            raise ValueError(f"bad span [{start}, {end})")
        return tuple.__new__(cls, (start, end))

    def slice(self, text: str) -> str:
        return text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@datatype
class Debris:
    """A stretch of a document that is not article text, and why."""

    span: Span
    reason: str  # e.g. "navigation", "photo credit", "dead-page notice"


@datatype
class Document:
    """One input article after ingest.

    ``text`` is the whole decoded input; ``body`` lists the spans the rules
    engine scans (article text only), in order and without overlap.
    """

    id: str
    text: str
    body: tuple[Span, ...]
    path: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date
    sha256: str = ""
    status: str = "ok"  # one of SOURCE_STATUSES
    reason: str | None = None  # why the status is not "ok"
    debris: tuple[Debris, ...] = ()
    warnings: tuple[str, ...] = ()
    author: str | None = None  # as the page's byline or metadata gives it
    canonical_url: str | None = None  # the page's own idea of its address
    redirects: tuple[str, ...] = ()  # each address a fetched URL was sent on to, in order
    record: str | None = None  # the row's id when the document came from an export file


@datatype
class Match:
    """What the rules engine found: a span, the rule that matched, and parts.

    Values are already normalised by the matcher (``"290,000"`` -> 290000.0,
    ``"five"`` -> 5.0) but not yet turned into intervals or pint units; that
    is ``figures.resolve``'s job.
    """

    span: Span
    rule: str  # name of the rule(s) that matched, e.g. "more than <figure> / <number>"
    kind: str  # one of KINDS
    value: float | str | None  # a number; an ISO date for kind "date"; "52-48" for kind "tally"
    value_high: float | str | None = None  # second end of a range ("between 10 and 12")
    unit: str | None = None  # unit key from the rule data: a pint unit or ISO currency code
    qualifier: str | None = None  # canonical qualifier, e.g. "more than"
    qualifier_low: str | None = None  # "value" | "high_value" | None, from the qualifier rule
    qualifier_high: str | None = None
    approximate: bool = False
    measure: str | None = None  # what is counted or measured, e.g. "killed"
    measure_span: Span | None = None
    latent: bool = False  # a bare number with nothing to say what it is
    noun: str | None = None  # the noun counted, as written: "290,000 [people]"


@datatype
class Figure:
    """A resolved figure: a value, a unit, and the interval the wording allows."""

    span: Span
    text: str
    kind: str
    value: float | int | str | None
    unit: str | None
    qualifier: str | None
    low: float | int | str | None  # None = open
    high: float | int | str | None
    approximate: bool
    measure: str | None
    measure_span: Span | None
    rule: str
    latent: bool = False
    noun: str | None = None


@datatype
class Attribution:
    """Who is reported as saying a figure, and how we know."""

    said_by: str | None  # the speaker as named; None = the document itself
    said_by_span: Span | None = None  # the mention in the text ("he" stays "he")
    cue: str | None = None  # "said", "told", "according to", ...
    cue_span: Span | None = None
    quote_span: Span | None = None  # the attributed statement, when there is one
    quoted: bool = False  # the figure sits inside quotation marks
    via: str | None = None  # who passed it on: "AFP" in "according to AFP, the ministry said"
    via_span: Span | None = None


@datatype(eq=False, repr=False)  # compared and printed as the rule definitions are
class CueLexicon:
    """The words attribution reads, from the rule data (cues.yaml)."""

    verbs: frozenset[str]
    prefixes: tuple[str, ...]  # longest first
    pronouns: dict[str, str]  # word -> "person" | "group" | "self"
    titles: frozenset[str]
    org_words: frozenset[str]
    not_speakers: frozenset[str]
    clause_openers: frozenset[str]  # "and", "however": open a clause, not a name
    auxiliaries: frozenset[str]  # "has", "also": between a subject and its verb
    determiners: frozenset[str]  # "a", "the", "one": open an unnamed speaker
    name_particles: frozenset[str]  # "de", "al": lowercase words inside names
    relative_pronouns: frozenset[str]  # "who" in "an official, who asked not to be named, said"
    passive_markers: frozenset[str]  # "to be announced": the verb has no speaker
    relays: tuple[str, ...] = ()  # "citing", "quoting": name who a speaker had it from
    that_verbs: frozenset[str] = frozenset()  # "found", "learned": report only before "that"
    source_nouns: frozenset[str] = frozenset()  # "poll", "report": a source that is not a person
    speaker_links: frozenset[str] = frozenset()  # "of", "for": inside a speaker ("head of the observatory")
    noun_markers: frozenset[str] = frozenset()  # "the", "his": make "claims", "notes" nouns
    noun_followers: frozenset[str] = frozenset()  # "rose": "jobless claims rose" is a noun
    name_joiners: frozenset[str] = frozenset()  # "and": "Kerry and Lavrov" is one speaker
    source_prefixes: dict[str, frozenset[str]] = field(default_factory=dict)  # "in" -> {"poll", ...}
    channels: frozenset[str] = frozenset()  # "statement": how a speaker said it, not a source
    time_words: frozenset[str] = frozenset()  # "Tuesday", "week": "Smith [on Tuesday] said" is Smith
    time_openers: frozenset[str] = frozenset()  # "on", "last": open such a time
    # "USA" -> (("USA", "Today"),): names that end with a time word, by first word
    dated_names: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    source_verbs: frozenset[str] = frozenset()  # "has": reports only after a source ("a poll has ...")
    coordinators: frozenset[str] = frozenset()  # "and": two verbs of one subject
    object_verbs: frozenset[str] = frozenset()  # "added": no report before an object ("added a goal")
    object_clause_verbs: frozenset[str] = frozenset()  # "would": "added the dam [would] cost" reports
    estimate_verbs: frozenset[str] = frozenset()  # "put": "officials put the toll [at] 45"
    estimate_marks: frozenset[str] = frozenset()  # "at", right before the estimate
    agent_participles: frozenset[str] = frozenset()  # "released": "the figures, released by the ONS, show"
    passive_verbs: frozenset[str] = frozenset()  # "reported": "45 deaths were reported by the ministry"
    adverb_endings: tuple[str, ...] = ()  # "-ly": "officials [ultimately] said" (measures.yaml)
    not_adverbs: frozenset[str] = frozenset()  # nouns with such an ending: "the [family] said"
    # Derived by the loader from the lists above:
    report_words: frozenset[str] = frozenset()  # one-word verbs, that_verbs and source_verbs
    speaker_stops: frozenset[str] = frozenset()  # words no speaker holds: "would", "that", "he", "said"
    cue_starts: frozenset[str] = frozenset()  # the first word of every cue
    # A word of each cue -> the words (WORD_LETTERS) that cue needs all of in
    # a sentence: "according" -> {"according", "to"}, "poll" -> {"in", "poll"}.
    cue_words: dict[str, tuple[frozenset[str], ...]] = field(default_factory=dict)
    speaker_ends: frozenset[str] = frozenset()  # end a speaker written after its verb
    quotes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # opening quote mark -> closing marks
    quote_closers: frozenset[str] = frozenset()  # every closing mark (derived)
    quote_marks: str = ""  # a regex of every mark, longest first; "" when there are none (derived)
    # Cues of several words, split into words, longest first (derived too):
    verb_phrases: tuple[tuple[str, ...], ...] = ()  # "pointed out", "told reporters"
    prefix_phrases: tuple[tuple[str, ...], ...] = ()  # "according to"
    relay_phrases: tuple[tuple[str, ...], ...] = ()  # "citing"
    genders: dict[str, str] = field(default_factory=dict)  # "she", "mrs" -> "female"; "he", "sir" -> "male"


@datatype
class Review:
    """The part of a claim a person owns; scans never overwrite it."""

    status: str = "unreviewed"  # one of REVIEW_STATUSES
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # any other key a person added


@datatype
class Claim:
    """One quantitative claim as stored in claims.yaml."""

    id: str
    source: str  # a Document.id
    text: str
    sentence: str
    kind: str
    value: float | int | str | None
    unit: str | None
    qualifier: str | None
    low: float | int | str | None
    high: float | int | str | None
    measure: str | None
    said_by: str | None
    span: Span | None = None  # None when the claim is missing from its document
    said_by_span: Span | None = None
    quote_span: Span | None = None
    cue: str | None = None
    rule: str = ""
    approximate: bool = False
    latent: bool = False
    missing: bool = False  # the text is gone from the rescanned document
    review: Review = field(default_factory=Review)
    extra: dict[str, Any] = field(default_factory=dict)  # keys a person added to the claim
    noun: str | None = None  # the noun counted ("people"); not stored in claims.yaml
    via: str | None = None  # who passed the figure on: "AFP" in "according to AFP, the ministry said"


@datatype
class Source:
    """A document as recorded in claims.yaml (no text)."""

    id: str
    path: str | None
    url: str | None
    title: str | None
    outlet: str | None
    published: str | None
    sha256: str
    status: str
    reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    author: str | None = None
    canonical_url: str | None = None
    redirects: tuple[str, ...] = ()
    record: str | None = None


@datatype
class Decision:
    """A person's ruling on how some claims compare; scans never change it.

    ``same``: the claims measure the same thing, so they are compared even
    when their wording says otherwise. ``not-same``: they measure different
    things and are never compared. ``resolved``: the conflict between the
    figures of these claims has been looked into; ``note`` says how.
    """

    decision: str  # one of DECISIONS
    claims: tuple[str, ...]  # claim ids, at least two
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # any other key a person added


@datatype
class ClaimSet:
    """The whole of claims.yaml."""

    sources: tuple[Source, ...]
    claims: tuple[Claim, ...]
    version: int = 1
    decisions: tuple[Decision, ...] = ()


@datatype
class FigureGroup:
    """Claims from the documents that measure the same thing."""

    id: str
    status: str  # one of GROUP_STATUSES
    kind: str
    measure: str | None
    unit: str | None
    claim_ids: tuple[str, ...]
    sources: tuple[str, ...]
    speakers: tuple[str, ...]
    explanation: str
    subject: str | None = None  # what is counted, when the text names it ("cattle")
    outlets: tuple[str, ...] = ()  # outlet names (document ids where unknown)
    independent_sources: int = 0  # origins of the figures, however many outlets repeat them
    origins: tuple[str, ...] = ()  # the names of those origins
    # (date, figure and who gave it, claim ids), oldest first; for groups
    # holding several figures, when the claims are dated
    timeline: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    decisions: tuple[Decision, ...] = ()  # the people's decisions about these claims
    # (claim id, claim id, relation): "conflicts", "updates", "resolved", "agrees"
    relations: tuple[tuple[str, str, str], ...] = ()
