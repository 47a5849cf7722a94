"""The one-pass gate must find exactly what each pattern's own finditer finds."""

from __future__ import annotations

import pickle
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.rules import compile_rules, load_rules
from factcheck.rules.prefilter import DEPTH, OpeningIndex, TokenGate, first_strings

_MATCHER = compile_rules(load_rules())
# Every pattern the shipped rules look for with the gate.
_GATED = _MATCHER._gate.patterns


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?<!\w)half", {"hal"}),
        (r"(?<!\w)(?:a|an)\b", {"a", "an"}),  # the match may end after "a"
        (r"(?<!\w)\d{4}(?!\d)", {"000"}),  # every digit folds to 0
        (r"(?<!\w)[$€]\d", {"$0", "€0"}),
        (r"(?<!\w)(?-i:USD)", {"usd"}),  # letters compare case-blind
        (r"(?<!\w)x?y", {"xy", "y"}),
        (r"(?<!\w)(?:ab){2,}", {"aba"}),
        (r"(?<!\w)(a)\1", {"a"}),  # a backreference: anything may follow "a"
        ("(?<!\\w)5\u212a", {"0\u212a", "0k"}),  # the Kelvin sign matches "k" case-blind
        ("(?<!\\w)5[ \t\u00a0]k", {"0 k"}),  # every space the patterns write out folds to " "
        (r"(?<!\w)5\r?\nk", {"0 k", "0  "}),
    ],
)
def test_first_strings_lists_every_opening(pattern: str, expected: set[str]) -> None:
    assert first_strings(re.compile(pattern, re.IGNORECASE)) == frozenset(expected)


@pytest.mark.parametrize("pattern", [r"(?<!\w)\w+", r"(?<!\w)[^x]", r"(?<!\w).", r"(?<!\w)(?:a|\s)", r"x*"])
def test_first_strings_gives_up_on_open_patterns(pattern: str) -> None:
    assert first_strings(re.compile(pattern)) is None


def test_opening_index_narrows_by_the_first_characters() -> None:
    index = OpeningIndex.of([re.compile("half", re.I), re.compile(r"\d+%"), re.compile(r"\w+")])
    assert index.could_open("Hal") == (0, 2)
    assert index.could_open("12%") == (1, 2)
    assert index.could_open("the") == (2,)
    # A letter that case-blind matching could read as another is never ruled out.
    assert index.could_open("\u212aM ") == (0, 1, 2)
    # Where the text ends: nothing follows, and only the unlisted patterns remain.
    assert index.could_open("") == (2,)
    assert index.could_open("x") == (2,)


def test_opening_index_reads_every_space_as_one() -> None:
    patterns = ["[ \t\u00a0]+km", r"\r?\nkm", "k", "\u00a0km"]
    index = OpeningIndex.of([re.compile(pattern, re.I) for pattern in patterns])
    for opening in (" km", "\tkm", "\u00a0km", "\nkm"):
        assert index.could_open(opening) == (0, 1, 3)
    assert index.could_open("\r\nk") == (0, 1)  # two spaces, as "[ \t\u00a0]+" could be too
    assert index.could_open("kmh") == (2,)
    assert index.could_open("x k") == ()


def test_opening_index_keeps_one_tuple_per_answer() -> None:
    # Pickled, each tuple is written once and the others refer to it.
    index = OpeningIndex.of([re.compile("(?:half|hand|hat)", re.I), re.compile(r"\d+%")])
    halves = [index.could_open(opening) for opening in ("hal", "Han", "hat")]
    assert halves == [(0,)] * 3
    assert len({id(answer) for answer in halves}) == 1
    loaded = pickle.loads(pickle.dumps(index))
    assert loaded.could_open("hal") is loaded.could_open("hat")


def test_gate_leaves_patterns_it_cannot_narrow_to_finditer() -> None:
    gate = TokenGate([re.compile(r"(?<!\w)\s*x"), re.compile(r"(?<!\w)y?"), re.compile(r"(?<!\w)z")])
    assert gate.ungated == {0, 1}
    text = "a  x zz z y"
    # Only where "z" opens a word for the last; the others go to finditer.
    assert gate.starts(text, 0, len(text)) == {0: None, 1: None, 2: [5, 8]}
    assert [_spans(found) for found in gate.scan(text, 0, len(text))] == [
        _spans(p.finditer(text)) for p in gate.patterns
    ]


def test_gate_finds_what_case_blind_matching_takes_for_another_letter() -> None:
    # A dotted capital I and the Kelvin sign; the long s.
    gate = TokenGate(
        [re.compile("(?<!\\w)\u0130\u212am", re.IGNORECASE), re.compile("(?<!\\w)\u017fm", re.IGNORECASE)]
    )
    text = "ikm and IKM, sm and SM"
    assert [_spans(found) for found in gate.scan(text, 0, len(text))] == [[(0, 3), (8, 11)], [(13, 15), (20, 22)]]


def test_gate_needs_a_left_edge() -> None:
    with pytest.raises(ValueError, match="does not open with"):
        TokenGate([re.compile("half")])


def test_gate_finds_the_shipped_patterns_in_a_news_sentence() -> None:
    text = "Since 4 March 2022, about a third of the 1,200 staff - 400 people - left, £3.5m (€4m) was spent."
    gate = _MATCHER._gate
    found = gate.scan(text, 0, len(text))
    assert [_spans(f) for f in found] == [_spans(p.finditer(text)) for p in _GATED]
    assert sum(len(f) for f in found) > 5


_NEWSY = st.text(
    alphabet=st.sampled_from(list("0123456789 .,-/:%$£€()'\"\n\r\tabcdefhimnorstuyAHMT\u00a0\u2212\u212a")),
    max_size=80,
) | st.lists(
    st.sampled_from(
        ["a", "an", "half", "third", "one", "twenty", "hundred", "million", "$", "€", "5", "12,000", "3.5",
         "-", "minus", "per", "cent", "%", "km", "May", "March", "2021", "4:30", "pm", "dozens", "of", "the",
         "-year-old", "km/h", "(", ")", "\n", "9/11", "24/7", "Smith,", "41,"]
    ),
    max_size=25,
).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(text=_NEWSY, cut=st.integers(0, 10))
def test_gate_matches_finditer_on_any_text(text: str, cut: int) -> None:
    start, end = min(cut, len(text)), max(len(text) - cut, min(cut, len(text)))
    found = _MATCHER._gate.scan(text, start, end)
    assert [_spans(f) for f in found] == [_spans(p.finditer(text, start, end)) for p in _GATED]


@settings(max_examples=300, deadline=None)
@given(text=_NEWSY)
def test_led_indexes_keep_every_pattern_that_matches(text: str) -> None:
    """After a lead, the patterns the index rules out could not have matched."""
    for group, index in _MATCHER._led.values():
        for position in range(len(text) + 1):
            matching = {which for which, pattern in enumerate(group) if pattern.regex.match(text, position)}
            assert matching <= set(index.could_open(text[position : position + DEPTH]))
