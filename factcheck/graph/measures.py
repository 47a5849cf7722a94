"""What a figure measures, and of what: the measure lexicon and the subject."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import field

from factcheck.graph.wording import clause_after, clause_before, fold_text
from factcheck.model import Claim, datatype


@datatype(frozen=True)
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


@datatype(frozen=True)
class _Context:
    before: tuple[str, ...]  # words of the figure's clause before it
    after: tuple[str, ...]  # and after it


def figure_context(claim: Claim) -> _Context:
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
    contexts = [_Context(tuple(clause_before(sentence[:s])), tuple(clause_after(sentence[e:]))) for s, e in found]
    measure = fold_text(claim.measure or "").split()
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


def measure_and_subject(claim: Claim, context: _Context, lexicon: Lexicon) -> tuple[str, str | None]:
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
    measure = fold_text(claim.measure or "")
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
