"""Debris rules: the lines of a saved page that are not article text.

The definitions here know nothing of YAML; ``loader`` reads them from rule
files and adds the file and line to any error they raise. A rule matches
one line at a time, with the line's surrounding whitespace already removed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from factcheck.model import datatype

# The one list of valid rule kinds, as written in rule files.
RULE_KINDS = (
    "navigation",
    "tail heading",
    "boilerplate",
    "photo credit",
    "paywall notice",
    "dead-page heading",
    "dead-page notice",
)
# Kinds marked wherever their line occurs. The dead-page kinds only count at
# the end of a document (see ``reader``): an article may quote "page not found".
LINE_KINDS = ("navigation", "tail heading", "boilerplate", "photo credit", "paywall notice")
DEAD_PAGE_HEADING = "dead-page heading"
TAIL_HEADING = "tail heading"
PAYWALL_NOTICE = "paywall notice"

_SET_REFERENCE = re.compile(r"\{([a-z][a-z0-9_]*)\}")
# A whole-line rule forgives a final period, colon or exclamation mark, so
# "Advertisement:" needs no rule of its own.
_LINE_END = r"\s*[.:!]?"


def phrases_pattern(phrases: Sequence[str]) -> str:
    """Regex source for a line that is exactly one of ``phrases``.

    Inner spaces match any run of whitespace; longer phrases are tried first
    so that "Share this article" is not cut short by "Share".

    >>> phrases_pattern(["Skip to content", "Skip to main content"])
    '(?:Skip\\\\s+to\\\\s+main\\\\s+content|Skip\\\\s+to\\\\s+content)'
    """
    parts = [r"\s+".join(map(re.escape, p.split())) for p in phrases if p.split()]
    if not parts:
        raise ValueError("no phrases")
    parts.sort(key=len, reverse=True)
    return "(?:" + "|".join(parts) + ")"


def expand_sets(source: str, sets: Mapping[str, Sequence[str]]) -> str:
    """Replace each ``{name}`` in a regex source with the phrases of set ``name``.

    >>> expand_sets("{agency} photo", {"agency": ["AFP", "Getty Images"]})
    '(?:Getty\\\\s+Images|AFP) photo'
    """

    def phrases_of(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in sets:
            known = ", ".join(sorted(sets)) or "none defined"
            raise ValueError(f"unknown set '{{{name}}}' (sets: {known})")
        if not sets[name]:
            raise ValueError(f"set '{{{name}}}' has no phrases")
        return phrases_pattern(sets[name])

    return _SET_REFERENCE.sub(phrases_of, source)


def compile_pattern(source: str, *, lead: bool) -> re.Pattern[str]:
    """Compile a rule's regex, case-insensitive; ``ValueError`` if it is bad."""
    try:
        # Compiled as written first, so that an error's position is the author's.
        pattern = re.compile(source, re.IGNORECASE)
    except re.error as err:
        raise ValueError(f"bad regular expression: {err}") from None
    return pattern if lead else re.compile(f"(?:{source}){_LINE_END}", re.IGNORECASE)


def split_marked(example: str) -> tuple[str, int]:
    """Split an example of a lead rule, ``"[credit | ]caption"``, into the
    line and the length of its marked lead.

    >>> split_marked("[Photo: Reuters | ]Lavrov in Geneva")
    ('Photo: Reuters | Lavrov in Geneva', 17)
    """
    close = example.find("]")
    if not example.startswith("[") or close < 1:
        raise ValueError(f"example must mark the lead with [ ]: {example!r}")
    lead = example[1:close]
    return lead + example[close + 1 :], len(lead)


@datatype(frozen=True)
class DebrisRule:
    """One named way to recognise debris in a line.

    A whole-line rule (``lead=False``) makes the full line debris; a lead
    rule makes only the matched start of the line debris, so the caption
    after a photo credit stays article text.
    """

    name: str
    kind: str
    pattern: re.Pattern[str]
    lead: bool = False
    examples: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()  # the rule file's ``not:`` list
    origin: str = ""  # "file:line" of the rule, for messages

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("rule has an empty name")
        if self.kind not in RULE_KINDS:
            expected = ", ".join(RULE_KINDS)
            raise ValueError(f"unknown kind '{self.kind}'; expected one of: {expected}")
        if self.lead and self.kind not in LINE_KINDS:
            raise ValueError(f"a lead rule must be of kind: {', '.join(LINE_KINDS)}")
        if not self.examples:
            raise ValueError("rule has no examples")
        for example in self.examples:
            if self.lead:
                split_marked(example)

    def match(self, line: str) -> int | None:
        """Length of the debris at the start of a stripped ``line``, or None.

        >>> from factcheck.ingest import load_debris_rules
        >>> rule = load_debris_rules().find("<photographer> / <agency> | <caption>")
        >>> rule.match("Martial Trezzini / Pool Keystone / AFP (file photo) | US Secretary")
        54
        """
        if self.lead:
            found = self.pattern.match(line)
            return found.end() if found and found.end() > 0 else None
        return len(line) if self.pattern.fullmatch(line) else None

    def cases(self) -> list[tuple[str, int | None]]:
        """The rule's examples as ``(line, expected match())`` pairs."""
        positive = [split_marked(e) if self.lead else (e, len(e)) for e in self.examples]
        return positive + [(line, None) for line in self.counterexamples]


@datatype(frozen=True)
class DebrisRules:
    """All debris rules of a scan, in file order, and the dead-page limits.

    The first rule that matches a line wins. ``notice_paragraph_words`` is
    the size below which a paragraph after a dead-page heading still reads
    as notice text; ``article_words`` and ``article_sentences`` are how much
    prose must precede the notice for the page to count as an article. A
    tail heading ("Related stories") after at least ``article_words`` of
    body opens the page's closing furniture when no more than
    ``tail_words`` words of other text follow it.

    Web pages have limits of their own. A page that shows a dead-page
    heading anywhere (its title, a heading, a line) is dead unless its main
    text holds ``dead_page_article_words``; a page showing a paywall notice
    whose main text is shorter than ``paywall_teaser_words`` is a paywall
    stub; a page with at least ``front_headlines`` headings that link to
    other pages and fewer than ``front_words_per_headline`` words of main
    text per such heading is a section front.
    """

    rules: tuple[DebrisRule, ...] = ()
    notice_paragraph_words: int = 60
    article_words: int = 40
    article_sentences: int = 2
    tail_words: int = 80
    dead_page_article_words: int = 150
    paywall_teaser_words: int = 200
    front_headlines: int = 10
    front_words_per_headline: int = 10

    def __post_init__(self) -> None:
        seen: dict[str, DebrisRule] = {}
        for rule in self.rules:
            if rule.name in seen:
                first = seen[rule.name].origin or "an earlier rule"
                raise ValueError(f"duplicate rule name '{rule.name}' (first defined at {first})")
            seen[rule.name] = rule

    def find(self, name: str) -> DebrisRule:
        """The rule called ``name``; ``KeyError`` if there is none."""
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise KeyError(name)

    def match_line(
        self, line: str, kinds: Sequence[str] = LINE_KINDS
    ) -> tuple[DebrisRule, int] | None:
        """The first rule of one of ``kinds`` matching a stripped line, and
        the length of debris it marks.

        >>> from factcheck.ingest import load_debris_rules
        >>> rule, length = load_debris_rules().match_line("Skip to main content")
        >>> rule.kind, length
        ('navigation', 20)
        """
        for rule in self.rules:
            if rule.kind in kinds:
                length = rule.match(line)
                if length is not None:
                    return rule, length
        return None

    def covers(self, line: str, kinds: Sequence[str] = RULE_KINDS) -> bool:
        """Whether a rule of one of ``kinds`` makes the whole stripped line debris."""
        hit = self.match_line(line, kinds)
        return hit is not None and hit[1] >= len(line)
