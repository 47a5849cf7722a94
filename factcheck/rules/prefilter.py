"""Where in a text each of many regexes could start: one pass instead of one per regex.

Python's regex engine tries a pattern at every position of a text unless the
pattern opens with a plain literal, and ours open with lookbehinds and
case-blind word lists. With some twenty-five patterns to find, a text was
walked twenty-five times, at a cost of tens of nanoseconds a position each.

Every pattern given here opens with ``(?<!\\w)``, so it can start only where
a word or a sign starts. The ``TokenGate`` walks those starts once, reads the
first few characters at each, and tries only the patterns that could begin
with them. Which those are is worked out once, from each pattern's parse
tree: the set of strings of ``DEPTH`` characters a match could open with
(``first_strings``). The answer is always on the safe side: a pattern is
skipped at a position only where it could not match there, so the matches
found are exactly those ``finditer`` would find.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

# re's parser is the only full account of what a pattern can match; it is
# stable across the Python versions this package supports (3.11 on).
from re import _constants as _sre_constants  # type: ignore[attr-defined]
from re import _parser as _sre_parser  # type: ignore[attr-defined]

from factcheck.compiled import cached_regex

DEPTH = 3  # characters read at each start
_LIMIT = 50_000  # opening strings kept per pattern before giving up on it
_WORD_START = cached_regex(r"\w+|\S")  # a word, or any other sign: each starts where a pattern may
_LEFT_EDGE_PREFIX = r"(?<!\w)"
# Letters compare case-blind, every ASCII digit stands for all of them and a
# plain space for every space the patterns write out ("[ \t\u00a0]", "\r?\n"):
# the index then lists an opening once, not once for each kind of space.
_LOWER = "abcdefghijklmnopqrstuvwxyz"  # written out: importing string cost each start 0.7%
_FOLD = str.maketrans(_LOWER.upper() + "0123456789\t\n\r\u00a0", _LOWER + "0000000000    ")
_REPEATS = tuple(
    getattr(_sre_constants, name)
    for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
    if hasattr(_sre_constants, name)
)
_ZERO_WIDTH = (_sre_constants.AT, _sre_constants.ASSERT, _sre_constants.ASSERT_NOT)
_GROUPS = (_sre_constants.SUBPATTERN,) + (
    (_sre_constants.ATOMIC_GROUP,) if hasattr(_sre_constants, "ATOMIC_GROUP") else ()
)
_DIGIT_CATEGORIES = (_sre_constants.CATEGORY_DIGIT, _sre_constants.CATEGORY_UNI_DIGIT)


class _Unbounded(Exception):
    """Too many opening strings to be worth listing."""


def _fold_char(char: str) -> set[str]:
    """A pattern's character as the folded text characters it may match.

    Case-blind matching takes some non-ASCII letters for ASCII ones (the
    Kelvin sign for "k", the long s for "s", a dotted capital I for "i"),
    and a text's ASCII letters are all that is folded, so those are listed
    too: the regex engine itself says which.
    """
    if char.isascii() or ord(char) in _FOLD:
        return {char.translate(_FOLD)}
    same = re.compile(re.escape(char), re.IGNORECASE).fullmatch
    return {char} | {letter for letter in _LOWER if same(letter)}


def _ambiguous(text: str) -> bool:
    """Whether ``text`` holds a non-ASCII character that case-blind matching
    or ``\\d`` could take for another: such a start is tried with every pattern."""
    return any(
        ord(char) > 127 and (char.lower() != char or char.upper() != char or char.isdecimal()) for char in text
    )


def first_strings(pattern: re.Pattern[str], depth: int = DEPTH) -> frozenset[str] | None:
    """The strings a match of ``pattern`` could open with, folded.

    Each string is ``depth`` characters long, or shorter when anything may
    follow it (the match may end there, or the next piece is too open to
    list). None when the pattern could open with anything.

    >>> sorted(first_strings(re.compile(r"(?<!\\w)(?:half|a\\d)", re.IGNORECASE)))
    ['a0', 'hal']
    """
    return _first_strings(_sre_parser.parse(pattern.pattern, pattern.flags), depth)


def _first_strings(parsed: object, depth: int = DEPTH) -> frozenset[str] | None:
    done: set[str] = set()

    def extend(open_: set[str], chars: Iterable[str] | None) -> set[str]:
        if chars is None:  # anything may come next
            done.update(open_)
            return set()
        grown = set()
        for start in open_:
            for char in chars:
                longer = start + char
                (done if len(longer) >= depth else grown).add(longer)
        if len(grown) + len(done) > _LIMIT:
            raise _Unbounded
        return grown

    def charset(items: list) -> set[str] | None:
        chars: set[str] = set()
        for op, value in items:
            if op is _sre_constants.LITERAL:
                chars |= _fold_char(chr(value))
            elif op is _sre_constants.RANGE and value[1] - value[0] < 128:
                for code in range(value[0], value[1] + 1):
                    chars |= _fold_char(chr(code))
            elif op is _sre_constants.CATEGORY and value in _DIGIT_CATEGORIES:
                chars.add("0")
            else:  # negation, a wide range, \w, \s
                return None
        return chars

    def sequence(items: Iterable, open_: set[str]) -> set[str]:
        for op, value in items:
            if not open_:
                break
            open_ = piece(op, value, open_)
        return open_

    def piece(op: object, value: object, open_: set[str]) -> set[str]:
        if op is _sre_constants.LITERAL:
            return extend(open_, _fold_char(chr(value)))  # type: ignore[arg-type]
        if op is _sre_constants.IN:
            return extend(open_, charset(value))  # type: ignore[arg-type]
        if op in _ZERO_WIDTH:
            return open_
        if op is _sre_constants.BRANCH:
            return set().union(*(sequence(branch, set(open_)) for branch in value[1]))  # type: ignore[index]
        if op in _GROUPS:
            body = value if op is not _sre_constants.SUBPATTERN else value[-1]  # type: ignore[index]
            return sequence(body, open_)
        if op in _REPEATS:
            low, high, body = value  # type: ignore[misc]
            if body.getwidth()[0] == 0:
                return extend(open_, None)
            found = set(open_) if low == 0 else set()
            layer = open_
            # Each turn takes a character at least, so after ``depth`` turns
            # every string is complete.
            for turn in range(1, min(high, depth) + 1):
                layer = sequence(body, layer)
                if turn >= low:
                    found |= layer
                if not layer:
                    break
            return found
        return extend(open_, None)  # a backreference, a conditional, any character

    try:
        ends = sequence(parsed, {""})
    except _Unbounded:
        return None
    done.update(ends)  # the match may end before ``depth`` characters
    return None if "" in done else frozenset(done)


class OpeningIndex:
    """Which of several patterns could match at a position, from the few
    characters found there."""

    def __init__(self, openings: Iterable[frozenset[str] | None]) -> None:
        """From each pattern's ``first_strings``; ``of`` takes the patterns."""
        always: list[int] = []  # patterns too open to index
        by_opening: dict[str, set[int]] = {}
        count = 0
        for index, strings in enumerate(openings):
            count += 1
            if strings is None:
                always.append(index)
            else:
                for opening in strings:
                    by_opening.setdefault(opening, set()).add(index)
        # For every opening string and every start of one, all the patterns
        # it and its own starts may open: a text's opening is then looked
        # up whole, or by its longest start that is listed.
        self._by_start: dict[str, tuple[int, ...]] = {}
        # Thousands of openings share a few hundred answers: one tuple for
        # each answer keeps the pickled rules small and quick to load.
        answers: dict[tuple[int, ...], tuple[int, ...]] = {}
        for opening in by_opening:
            for length in range(1, len(opening) + 1):
                start = opening[:length]
                if start not in self._by_start:
                    chosen = set(always)
                    for shorter in range(1, length + 1):
                        chosen |= by_opening.get(start[:shorter], set())
                    answer = tuple(sorted(chosen))
                    self._by_start[start] = answers.setdefault(answer, answer)
        self._always = tuple(always)
        self._all = tuple(range(count))
        self.memo: dict[str, tuple[int, ...]] = {}

    @classmethod
    def of(cls, patterns: Iterable[re.Pattern[str]]) -> OpeningIndex:
        """The index of these patterns."""
        return cls(first_strings(pattern) for pattern in patterns)

    def __getstate__(self) -> dict:
        # What was seen in one process's texts is not worth keeping.
        return {**self.__dict__, "memo": {}}

    def could_open(self, opening: str) -> tuple[int, ...]:
        """The patterns that could match text that starts with ``opening``
        (``DEPTH`` characters, fewer only where the text ends), in order."""
        found = self.memo.get(opening)
        if found is not None:
            return found
        if not opening.isascii() and _ambiguous(opening):
            found = self._all
        else:
            # The whole opening, else its longest start that is listed. A
            # text has thousands of different openings, each looked up once;
            # most are letters alone, which lower-casing folds, and faster.
            folded = opening.lower() if opening.isalpha() and opening.isascii() else opening.translate(_FOLD)
            get = self._by_start.get
            found = get(folded)
            length = len(folded) - 1
            while found is None and length > 0:
                found = get(folded[:length])
                length -= 1
            if found is None:
                found = self._always
        self.memo[opening] = found
        return found


class TokenGate:
    """Finds, in one pass, where each of several patterns matches.

    Every pattern must open with ``(?<!\\w)``. ``scan`` gives the same
    matches as each pattern's ``finditer`` would. A pattern that could match
    nothing, or open with a space or with anything at all, is left to
    ``finditer``.
    """

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        self.patterns = list(patterns)
        self.ungated: set[int] = set()
        openings = []
        for index, pattern in enumerate(self.patterns):
            if not pattern.pattern.startswith(_LEFT_EDGE_PREFIX):
                raise ValueError(f"pattern {index} does not open with {_LEFT_EDGE_PREFIX}")
            parsed = _sre_parser.parse(pattern.pattern, pattern.flags)
            strings = _first_strings(parsed)
            if strings is None or parsed.getwidth()[0] == 0 or any(s[:1].isspace() for s in strings):
                self.ungated.add(index)
            else:
                openings.append(strings)
        self._gated = [i for i in range(len(self.patterns)) if i not in self.ungated]
        self._index = OpeningIndex(openings)

    def starts(self, text: str, start: int, end: int) -> dict[int, list[int] | None]:
        """Where in ``text[start:end]`` each pattern might match, by the
        pattern's index: its positions in order, or None for a pattern left
        to ``finditer``. A pattern that can match nowhere there is left out,
        so a short text costs little however many patterns there are."""
        found: dict[int, list[int]] = {}
        memo = self._index.memo
        could_open = self._index.could_open
        for token in _WORD_START.finditer(text, start, end):
            at = token.start()
            opening = text[at : at + DEPTH] if at + DEPTH <= end else text[at:end]
            chosen = memo.get(opening)
            if chosen is None:
                chosen = could_open(opening)
            for index in chosen:
                positions = found.get(index)
                if positions is None:
                    found[index] = [at]
                else:
                    positions.append(at)
        if not self.ungated:
            return found  # type: ignore[return-value]
        # The opening index numbers the gated patterns only.
        renumbered: dict[int, list[int] | None] = {self._gated[i]: positions for i, positions in found.items()}
        renumbered.update(dict.fromkeys(self.ungated))
        return renumbered

    def scan(self, text: str, start: int, end: int) -> list[list[re.Match[str]]]:
        """For each pattern, its matches in ``text[start:end]``, as ``finditer`` gives them."""
        found = self.starts(text, start, end)
        matches = []
        for index, pattern in enumerate(self.patterns):
            positions = found.get(index, ())
            matches.append(
                list(pattern.finditer(text, start, end) if positions is None else self.chain(pattern, text, positions, end))
            )
        return matches

    @staticmethod
    def chain(pattern: re.Pattern[str], text: str, positions: Iterable[int], end: int) -> Iterator[re.Match[str]]:
        """The non-overlapping matches of ``pattern`` from ``positions``, leftmost first."""
        reached = -1
        match = pattern.match
        for at in positions:
            if at < reached:
                continue
            found = match(text, at, end)
            if found is not None:
                yield found
                reached = found.end()
