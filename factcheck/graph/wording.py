"""The words around a figure: folding, clauses, change phrases."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factcheck.graph.comparison import ChangeCue


# Up to how many words "..." stands for in a change phrase.
GAP = 3

WORD = re.compile(r"[^\W\d_](?:[\w'’.-]*\w)?|\d[\d,.]*|[^\w\s]")

# Punctuation that ends the clause a figure stands in.
CLAUSE_BREAKS = frozenset(',;:()[]!?"“”‘’—–')


def fold_text(text: str) -> str:
    return " ".join(text.casefold().split())


def words_of(text: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(text)]


def clause_before(text: str) -> list[str]:
    """The words of ``text`` after its last clause break, in order."""
    words = words_of(text)
    for index in range(len(words) - 1, -1, -1):
        if words[index] in CLAUSE_BREAKS:
            return words[index + 1 :]
    return words


def clause_after(text: str) -> list[str]:
    words = words_of(text)
    for index, word in enumerate(words):
        if word in CLAUSE_BREAKS:
            return words[:index]
    return words


def match_change(before: Sequence[str], cues: Sequence[ChangeCue]) -> tuple[ChangeCue, str] | None:
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
        for gap in range(1, GAP + 1):
            if gap <= len(words):
                found = _phrase_end_match(words[: len(words) - gap], phrase[:-1])
                if found is not None:
                    return found
        return None
    if not words or words[-1] != last:
        return None
    return _phrase_end_match(words[:-1], phrase[:-1])
