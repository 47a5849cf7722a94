"""The rules engine against its corpus, its rule examples, and any text."""

from __future__ import annotations

import re
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pint
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck import pipeline
from factcheck.model import KINDS
from factcheck.rules import RuleFileError, compile_rules, load_rules, shipped_rule_files

CORPUS = Path(str(resources.files("factcheck.rules") / "corpus"))
_BRACKETS = re.compile(r"\[([^\]]*)\]")


def marked(example: str) -> tuple[str, int, int]:
    """'a [$3bn] loan' -> ('a $3bn loan', 2, 7)."""
    found = _BRACKETS.search(example)
    assert found, f"no [span] in {example!r}"
    text = example[: found.start()] + found.group(1) + example[found.end() :]
    return text, found.start(), found.start() + len(found.group(1))


def corpus_cases() -> list[Any]:
    cases = []
    for path in sorted(CORPUS.glob("*.yaml")):
        if path.name == "negative.yaml":
            continue
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            for example in entry["texts"]:
                cases.append(pytest.param(entry["expect"], example, id=f"{path.stem}: {example}"))
    return cases


@pytest.mark.parametrize(("expect", "example"), corpus_cases())
def test_corpus(toolkit: pipeline.Toolkit, expect: dict[str, Any], example: str) -> None:
    text, start, end = marked(example)
    # A figure expected to be latent is looked for among the latent ones too.
    claims = pipeline.extract_text(text, toolkit, latent=bool(expect.get("latent")))
    spans = [(c.span.start, c.span.end, c.text) for c in claims]
    found = [c for c in claims if (c.span.start, c.span.end) == (start, end)]
    assert len(found) == 1, f"expected [{text[start:end]}] among {spans}"
    claim = found[0]
    for key, value in expect.items():
        got = getattr(claim, key)
        if isinstance(value, float) and isinstance(got, float):
            assert got == pytest.approx(value), key
        else:
            assert got == value, f"{key}: {got!r} != {value!r}"


NEGATIVE = yaml.safe_load((CORPUS / "negative.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", NEGATIVE, ids=NEGATIVE)
def test_negative_corpus(toolkit: pipeline.Toolkit, text: str) -> None:
    assert [c.text for c in pipeline.extract_text(text, toolkit)] == []


def rule_examples() -> list[Any]:
    cases = []
    rules = load_rules()
    for rule in rules.patterns + rules.qualifiers + rules.ranges:
        for example in rule.examples:
            cases.append(pytest.param(rule.name, example, id=f"{rule.name}: {example}"))
    return cases


@pytest.mark.parametrize(("rule_name", "example"), rule_examples())
def test_rule_examples(toolkit: pipeline.Toolkit, rule_name: str, example: str) -> None:
    """Every example written beside a rule is matched by that rule."""
    text, start, end = marked(example)
    matches = toolkit.matcher.find_matches(text)
    hits = [m for m in matches if (m.span.start, m.span.end) == (start, end)]
    assert hits, f"[{text[start:end]}] not found; got {[m.span.slice(text) for m in matches]}"
    assert rule_name in hits[0].rule.split(" / ")


def idiom_examples() -> list[Any]:
    return [pytest.param(e, id=e) for i in load_rules().idioms for e in i.examples]


@pytest.mark.parametrize("text", idiom_examples())
def test_idiom_examples(toolkit: pipeline.Toolkit, text: str) -> None:
    assert pipeline.extract_text(text, toolkit) == []


def test_latent_figures_are_kept_only_on_request(toolkit: pipeline.Toolkit) -> None:
    text = "said one shopper in Area 51"
    assert pipeline.extract_text(text, toolkit) == []
    latent = pipeline.extract_text(text, toolkit, latent=True)
    assert [(c.text, c.value, c.latent) for c in latent] == [("one", 1, True), ("51", 51, True)]


def test_number_words_parse_to_exact_values(toolkit: pipeline.Toolkit) -> None:
    parse = toolkit.matcher.parse_number
    assert parse("290,000") == 290000
    assert parse("1.2 million") == 1200000
    assert parse("3bn") == 3000000000
    assert parse("twenty-five") == 25
    assert parse("two hundred and fifty thousand") == 250000
    assert parse("three million five hundred thousand") == 3500000


@given(st.from_regex(r"[0-9][0-9,]{0,12}(\.[0-9]{1,4})?", fullmatch=True))
def test_digits_alone_read_as_the_word_by_word_reading_reads_them(written: str) -> None:
    # A leading space sends a number down the general word-by-word reading.
    parse = _TOOLKIT.get().matcher.parse_number
    assert str(parse(written)) == str(parse(" " + written)) == str(Decimal(written.replace(",", "")))


TINY = """
units: {one: 1, two: 2, three: 3}
tens: {}
hundred: []
scales: {}
articles: []
patterns:
  - name: <number> widgets
    kind: quantity
    pattern: "{number} widgets"
    examples: ["[two widgets]"]
"""


def test_user_percent_words_add_to_the_shipped_ones(tmp_path: Path) -> None:
    extra = tmp_path / "pct.yaml"
    extra.write_text("percent:\n  words: [pct]\n")
    matcher = compile_rules(load_rules([extra]))
    text = "Turnout rose 4 pct; support fell 3% and 2 per cent."
    found = [(m.span.slice(text), m.unit) for m in matcher.find_matches(text)]
    assert found == [("4 pct", "percent"), ("3%", "percent"), ("2 per cent", "percent")]


def test_user_rule_file_adds_a_pattern(tmp_path: Path) -> None:
    """A user's rule file adds a pattern without touching the package."""
    extra = tmp_path / "widgets.yaml"
    extra.write_text(TINY.split("patterns:")[0].replace("{one: 1, two: 2, three: 3}", "{}") + "patterns:" + TINY.split("patterns:")[1])
    rules = load_rules([extra])
    assert rules.patterns[0].name == "<number> widgets"
    matches = compile_rules(rules).find_matches("we sold two widgets")
    assert [(m.span.slice("we sold two widgets"), m.rule, m.value) for m in matches] == [
        ("two widgets", "<number> widgets", 2)
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("patterns:\n  - name: bad\n    kind: count\n    pattern: '{nmber}'\n", ":2: rule 'bad': unknown word class {nmber}"),
        ("qualifiers:\n  - name: more than <figure>\n    qualifier: more than\n    before: [over]\n    hihg: null\n", ":5: rule 'more than <figure>': unknown key 'hihg'"),
        ("patterns:\n  - name: odd\n    kind: weight\n    pattern: x\n", ":2: rule 'odd': unknown kind 'weight'"),
        ("colours: [red]\n", ":1: unknown section 'colours'"),
        ("patterns: [\n", ":2: not valid YAML"),
        ("quantities:\n  - unit: furlongz\n    words: [fz]\n", ":2: rule 'furlongz': not a pint unit"),
        ("durations:\n  - unit: decade\n    words: [decs]\n", ":2: rule 'decade': a duration's unit must be a time, not 'decade'"),
        ("scales:\n  thousand: {value: 1000}\n  gazillion: {attached: true}\n", ":3: 'scales': entry 'gazillion': needs a 'value'"),
        ("vague:\n  umpteen: [50, 5]\n", ":2: 'vague': entry 'umpteen': low 50.0 is above high 5.0"),
        ("units:\n  eleventy: eleven\n", ":2: 'units': entry 'eleventy': 'eleven' is not a number"),
        ("months:\n  Brumaire: 13\n", ":2: 'months': entry 'Brumaire': 13 is not a month number (1 to 12)"),
        ("pronouns:\n  xe: [person]\n", ":2: 'pronouns': entry 'xe': ['person'] is not text (quote it)"),
        ("genders:\n  xe: neuter\n", ":2: 'genders': entry 'xe': 'neuter' is not male or female"),
        ("verbs: [said]\nwindow_before: many\n", ":2: 'window_before': 'many' is not a whole number"),
        ("rates:\n  per: [per]\n", ":1: 'rates': must be a mapping with keys any_noun, listed_nouns, nouns, not_before"),
        ("percent: ['pc', pct]\n", ":1: 'percent' must be a mapping with a 'words' list"),
    ],
    ids=[
        "unknown class",
        "unknown key",
        "unknown kind",
        "unknown section",
        "bad yaml",
        "bad unit",
        "duration not a time",
        "scale without value",
        "vague upside down",
        "number word without number",
        "month out of range",
        "pronoun kind not text",
        "gender neither male nor female",
        "window not a number",
        "rates with an unknown key",
        "percent not a mapping",
    ],
)
def test_rule_file_errors_name_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    with pytest.raises(RuleFileError) as caught:
        load_rules([bad], ureg=pint.UnitRegistry())
    assert str(caught.value).startswith(str(bad) + message.split(":")[0] + ":" + message.split(":")[1]), str(caught.value)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_shipped_units_are_spelt_as_pint_spells_them() -> None:
    """The engine and claims.yaml use the shipped units as written, unchecked."""
    ureg = pint.UnitRegistry()
    rules = load_rules()
    for surfaces in rules.durations + rules.quantities:
        assert str(ureg.parse_units(surfaces.unit)) == surfaces.unit
    second = ureg.parse_units("second").dimensionality
    for surfaces in rules.durations:
        assert ureg.parse_units(surfaces.unit).dimensionality == second, surfaces.unit
    for chain in rules.compounds:
        for unit in chain.sizes:
            assert str(ureg.parse_units(unit)) == unit, chain.name


def test_user_units_are_checked_and_respelt(tmp_path: Path) -> None:
    extra = tmp_path / "furlongs.yaml"
    extra.write_text("quantities:\n  - unit: furlongs\n    words: [furlongs]\n")
    rules = load_rules([extra], ureg=pint.UnitRegistry())
    (mine,) = [q for q in rules.quantities if q.words == ("furlongs",)]
    assert mine.unit == "furlong"
    matches = compile_rules(rules).find_matches("a race of 8 furlongs today")
    assert [(m.value, m.unit, m.kind) for m in matches] == [(8, "furlong", "quantity")]


def test_extract_builds_no_unit_registry() -> None:
    """Starting `factcheck extract` must not pay for a pint registry."""
    toolkit = pipeline.load_toolkit()
    claims = pipeline.extract_text("Winds of 120 km/h cut power to 40,000 homes.", toolkit)
    assert [(c.value, c.unit) for c in claims] == [(120, "kilometer / hour"), (40000, None)]
    assert toolkit.ureg._registry is None
    assert toolkit.ureg.parse_units("km") == toolkit.ureg.registry().kilometer


def test_every_shipped_rule_file_documents_its_syntax() -> None:
    for path in shipped_rule_files():
        head = path.read_text(encoding="utf-8").split("\n", 30)
        assert head[0].startswith("# factcheck"), path.name
        assert any("Example" in line for line in head), path.name


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200) | st.text(alphabet="0123456789 ,.-$%abmkt", max_size=60))
def test_any_text_gives_spans_inside_it(text: str) -> None:
    toolkit = _TOOLKIT.get() 
    for claim in pipeline.extract_text(text, toolkit, latent=True):
        assert 0 <= claim.span.start < claim.span.end <= len(text)
        assert text[claim.span.start : claim.span.end] == claim.text
        if isinstance(claim.value, (int, float)):
            if isinstance(claim.low, (int, float)):
                assert claim.low <= claim.value
            if isinstance(claim.high, (int, float)):
                assert claim.value <= claim.high


# Pieces of news wording, so that generated text reaches numbers, units,
# qualifiers, ranges and rates far more often than random characters do.
_PIECES = [
    "3", "290,000", "1.2", "-5", "minus", "12.5%", "$", "£", "€", "US$", "bn", "m", "k", "million",
    "thousand", "hundred", "twenty-five", "one", "a", "half", "a third", "dozens", "of", "tens",
    "between", "and", "to", "-", "–", "or", "more than", "about", "up to", "nearly", "per", "a month",
    "per cent", "km/h", "degrees", "C", "feet", "inches", "years", "hours", "old", "killed", "people",
    "rose", "by", "from", "in", "2016", "August", "26,", "3/4", "in five", "doubled", "cents", "p",
    "(", ")", ",", ".", ":", "'s", "\n", "Game", "iPhone", "point", "and a half", "tests", "a day",
    "times", "twice", "as many", "the", "ratio", "3:1", "1-to-3", "an average of", "on average", "cut in half",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14), st.lists(st.sampled_from(["", " ", "  ", "-"]), max_size=14))
def test_news_like_text_gives_consistent_figures(pieces: list[str], gaps: list[str]) -> None:
    text = "".join(p + (gaps[i] if i < len(gaps) else " ") for i, p in enumerate(pieces))
    claims = pipeline.extract_text(text, _TOOLKIT.get(), latent=True)
    spans = sorted(claim.span for claim in claims)
    assert all(first.end <= second.start for first, second in zip(spans, spans[1:]))  # no two overlap
    for claim in claims:
        assert 0 <= claim.span.start < claim.span.end <= len(text)
        assert text[claim.span.start : claim.span.end] == claim.text
        assert claim.kind in KINDS
        if claim.kind in ("date", "tally"):  # "2016-08-26", "52-48"
            assert isinstance(claim.value, str)
            assert claim.low is None or claim.low <= claim.value
            assert claim.high is None or claim.value <= claim.high
            continue
        assert isinstance(claim.value, (int, float)) and not isinstance(claim.value, bool)
        low, high = claim.low, claim.high
        if low is not None:
            assert low <= claim.value
        if high is not None:
            assert claim.value <= high
        if claim.noun is not None:  # the words after the number, spaces collapsed
            # A count per unit ("3 tests a day") holds its noun; others have it after them.
            after = claim.span.start if claim.rule.startswith("<count> per <unit>") else claim.span.end
            assert claim.noun in " ".join(text[after:].split())


class _Cached:
    """One toolkit for the property test (hypothesis disallows function fixtures)."""

    toolkit: pipeline.Toolkit | None = None

    def get(self) -> pipeline.Toolkit:
        if self.toolkit is None:
            self.toolkit = pipeline.load_toolkit()
        return self.toolkit


_TOOLKIT = _Cached()


def test_preceded_by_ignores_case_as_written(tmp_path: Path) -> None:
    extra = tmp_path / "laps.yaml"
    extra.write_text(
        "patterns:\n  - name: lap <number>\n    kind: ordinal\n    pattern: '{number}'\n    preceded_by: [Lap]\n"
    )
    text = "He crashed on lap 12."
    matches = compile_rules(load_rules([extra])).find_matches(text)
    assert [(m.span.slice(text), m.rule, m.value) for m in matches] == [("12", "lap <number>", 12)]


def test_bare_yaml_booleans_in_word_lists_are_refused(tmp_path: Path) -> None:
    extra = tmp_path / "words.yaml"
    extra.write_text("not_measures:\n  - ahead\n  - off\n")
    with pytest.raises(RuleFileError) as caught:
        load_rules([extra])
    assert str(caught.value) == (
        f"{extra}:3: 'not_measures': entry False is not a word "
        "(YAML reads a bare on/off/yes/no as true/false: quote it)"
    )


@pytest.mark.parametrize(
    ("pattern", "variants"),
    [
        ("(?:{number} |a\\x20)?{fraction} of", ["{number} {fraction} of", "a\\x20{fraction} of", "{fraction} of"]),
        ("(?:[|)]x|\\)|b)?c", ["[|)]xc", "\\)c", "bc", "c"]),  # bars and brackets inside classes or escaped
        ("(?:a|b)??c", None),  # lazy: the option is not tried first
        ("(?:a|b)c", None),
        ("x(?:a|b)?c", None),
    ],
)
def test_an_optional_opening_is_split_into_its_ways_of_matching(pattern: str, variants: list[str] | None) -> None:
    from factcheck.rules.engine import _without_optional_opening

    assert _without_optional_opening(pattern) == variants


def test_a_pattern_with_an_optional_opening_finds_the_same_figures(tmp_path: Path) -> None:
    """Split into variants, "(?:A|B)?C" still finds the longest way; kept
    whole when a later part needs a group named inside the option."""
    extra = tmp_path / "widgets.yaml"
    extra.write_text(
        TINY.split("patterns:")[0].replace("{one: 1, two: 2, three: 3}", "{}")
        + "patterns:\n"
        + '  - name: split\n    kind: quantity\n    pattern: "(?:{number} |a\\\\x20)?boxed widgets"\n'
        + "    value: 12\n    examples: []\n"
        + '  - name: whole\n    kind: quantity\n    pattern: "(?:(?P<w>big) )?{number} gadgets(?(w) big)"\n'
        + "    examples: []\n"
    )
    matcher = compile_rules(load_rules([extra]))
    assert [p.lead for p in matcher._patterns if p.rule.name == "split"] == ["number", None, None]
    assert [p.lead for p in matcher._patterns if p.rule.name == "whole"] == [None]
    text = "two boxed widgets, a boxed widgets, boxed widgets; big 3 gadgets big and 2 gadgets"
    found = [(m.span.slice(text), m.rule) for m in matcher.find_matches(text)]
    assert found == [
        ("two boxed widgets", "split"),
        ("a boxed widgets", "split"),
        ("boxed widgets", "split"),
        ("big 3 gadgets big", "whole"),
        ("2 gadgets", "whole"),
    ]


def test_the_engines_quick_copy_of_a_match_is_dataclasses_replace() -> None:
    import dataclasses

    from factcheck.model import Match, Span
    from factcheck.rules.engine import _changed

    # The copy skips __init__: it is only the same while Match checks nothing there.
    assert not hasattr(Match, "__post_init__")
    match = Match(Span(7, 24), "more than <figure> / <number>", "count", 290000, qualifier="more than")
    changes = {"span": Span(2, 24), "measure": "killed", "latent": True}
    copied = _changed(match, **changes)
    assert copied == dataclasses.replace(match, **changes)
    assert (copied.span, copied.measure, copied.latent, copied.value) == (Span(2, 24), "killed", True, 290000)
    assert match.measure is None and match.span == Span(7, 24)
    copied.value = 3  # the copy shares no state with the original
    assert match.value == 290000 and match.__dict__ is not copied.__dict__
    with pytest.raises(TypeError, match="'mesure'"):
        _changed(match, mesure="killed")


def _paragraphs_reference(text: str, region: Any) -> list[Any]:
    """The paragraph split read plainly: every gap from the start of the text."""
    from factcheck.model import Span
    from factcheck.rules.sentences import _GAP

    spans, start = [], region.start
    gaps = _GAP.finditer(text[: region.end])
    for gap in gaps:
        if gap.start() >= region.start:
            spans.append(Span(start, gap.start()))
            start = gap.end()
    spans.append(Span(start, region.end))
    return spans


def test_a_region_that_starts_inside_a_blank_line_keeps_it_whole() -> None:
    from factcheck.model import Span
    from factcheck.rules.sentences import _paragraphs

    # The gap "\n\n\n " starts before the region: it splits nothing inside it.
    text = "a\n\n\n b"
    assert _paragraphs(text, Span(2, 6)) == _paragraphs_reference(text, Span(2, 6)) == [Span(2, 6)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab.\n\n\n \t\u201d,", max_size=60), st.data())
def test_paragraphs_of_a_region_are_those_found_from_the_start_of_the_text(text: str, data: Any) -> None:
    from factcheck.model import Span
    from factcheck.rules.sentences import _paragraphs

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert _paragraphs(text, Span(start, end)) == _paragraphs_reference(text, Span(start, end))


def test_a_page_of_many_regions_splits_each_region_alone() -> None:
    from factcheck.model import Span
    from factcheck.rules import split_sentences

    text = "Headline\n\n" + "".join(f"Paragraph {n} has 3 sentences. It is short. Yes.\n\n" for n in range(400))
    regions = [Span(m.start(), m.end()) for m in re.finditer(r"Paragraph[^\n]*", text)]
    sentences = split_sentences(text, regions, frozenset())
    assert len(sentences) == 1200
    assert [s.slice(text) for s in sentences[3:6]] == ["Paragraph 1 has 3 sentences.", "It is short.", "Yes."]


_OPENING_PIECES = ["between", "in between", "from", "in", "x", "5", "-", " ", "  ", "\n", "\u00a0", "\t"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_OPENING_PIECES), max_size=12).map("".join), st.data())
def test_a_ranges_opening_words_are_found_as_a_search_from_the_region_start_would(text: str, data: Any) -> None:
    from factcheck.rules.definitions import RangeRule
    from factcheck.rules.engine import Matcher

    shipped = [before for _, (_, before) in _TOOLKIT.get().matcher._ranges if before is not None]
    # Two phrases, one the end of the other: the search must find the longer, leftmost one.
    _, nested = Matcher._range_regexes(RangeRule(name="r", joiners=("and",), before=("in between", "between")))
    position = data.draw(st.integers(0, len(text)))
    floor = data.draw(st.integers(0, position))
    for opening in [*shipped, nested]:
        assert opening is not None
        found = opening.find(text, floor, position)
        searched = opening.regex.search(text, floor, position)
        assert (found and found.span()) == (searched and searched.span())


def test_a_range_far_into_a_long_text_keeps_its_opening_word(toolkit: pipeline.Toolkit) -> None:
    text = "Filler words here. " * 2000 + "Prices were between   10 and 12 percent."
    (claim,) = pipeline.extract_text(text, toolkit)
    assert (claim.text, claim.low, claim.high, claim.unit) == ("between   10 and 12 percent", 10, 12, "percent")


_IDIOM_PIECES = ["one of the", "no one", "square one", "4:39", "at one point", "one", "12", "3.5%", "$4m", "people", " ", ", ", ". "]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_IDIOM_PIECES), max_size=14).map("".join))
def test_idioms_drop_the_candidates_that_start_inside_any_of_them(text: str) -> None:
    from factcheck.model import Span

    matcher = _TOOLKIT.get().matcher
    region = Span(0, len(text))
    starts = matcher._gate.starts(text, 0, len(text))
    candidates = matcher._candidates(text, region, starts)
    # Every idiom, found over the whole text: a candidate that starts in one goes.
    idioms = [m.span() for regex in matcher._idioms for m in regex.finditer(text)]
    expected = [c for c in candidates if not any(start <= c.start < end for start, end in idioms)]
    first_idiom = len(matcher._gate.patterns) - len(matcher._idioms)
    idioms_at = [starts.get(first_idiom + index, []) for index in range(len(matcher._idioms))]
    assert matcher._drop_idioms(text, region, candidates, idioms_at) == expected


@given(
    st.lists(st.integers(0, 60), max_size=20),
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 30)), max_size=12),
)
def test_a_position_is_inside_any_of_overlapping_spans(positions: list[int], spans: list[tuple[int, int]]) -> None:
    from factcheck.rules.engine import _inside_any

    spans = [(start, start + length) for start, length in spans]
    expected = [any(start <= p < end for start, end in spans) for p in positions]
    assert _inside_any(positions, spans) == expected


def test_a_chain_of_numbers_is_no_tally(toolkit: pipeline.Toolkit) -> None:
    for text in ("they lined up in a 4-3-3 shape", "we met on 5-3-2021 downtown", "a 10-4-2 split"):
        assert [c.kind for c in pipeline.extract_text(text, toolkit, latent=True) if c.kind == "tally"] == [], text
    # ...but the same numbers alone are one.
    assert [(c.kind, c.value) for c in pipeline.extract_text("a 4-3 win", toolkit)] == [("tally", "4-3")]


def test_a_point_joins_parts_only_after_a_short_unit_and_before_a_named_one(toolkit: pipeline.Toolkit) -> None:
    def figures(text: str) -> list[tuple[str, Any, Any]]:
        return [(c.text, c.value, c.unit) for c in pipeline.extract_text(text, toolkit)]

    assert figures("he is 6 ft. 2 in. tall") == [("6 ft. 2 in", 74, "inch")]
    assert figures("she served 2 years. 3 months later she left") == [("2 years", 2, "year"), ("3 months", 3, "month")]
    assert figures("the fence is 6 ft. 2 in the survey disagreed")[0] == ("6 ft", 6, "foot")


def test_more_than_right_after_a_figure_compares_it(toolkit: pipeline.Toolkit) -> None:
    claims = pipeline.extract_text("the airline flew 90 people, 20% more than a year earlier", toolkit)
    assert [(c.text, c.qualifier) for c in claims] == [("90", None), ("20%", None)]
    # A date's own wording stays: "up 5% from 2017" is since 2017.
    claims = pipeline.extract_text("sales were up 5% from 2017", toolkit)
    assert [(c.text, c.qualifier) for c in claims] == [("5%", None), ("from 2017", "since")]


def test_an_amount_per_so_many_is_no_share(toolkit: pipeline.Toolkit) -> None:
    def figures(text: str) -> list[tuple[str, str]]:
        return [(c.text, c.kind) for c in pipeline.extract_text(text, toolkit)]

    assert figures("it costs $2 per 100 grams") == [("$2", "money"), ("100 grams", "quantity")]
    assert figures("output rose 5 percent per 100 workers") == [("5 percent", "percent"), ("100", "count")]
    assert figures("there are 40 cases per 100,000 people") == [("40 cases per 100,000", "fraction")]


def test_a_count_per_unit_takes_in_the_unit_even_among_latent_figures() -> None:
    # "a day" alone is a latent duration; inside "500 cars a day" it is the rate's unit.
    claims = pipeline.extract_text("The plant makes 500 cars a day.", _TOOLKIT.get(), latent=True)
    assert [(c.text, c.unit) for c in claims] == [("500 cars a day", "1 / day")]


def _qualifier_search(matcher: Any) -> re.Pattern[str]:
    """The qualifiers before a figure as a forward regex, searched for: what
    the engine's backwards reading must find."""
    from factcheck.rules.engine import _OPT_SPACE, _SPACE, _alternation

    phrases = [p for rule in matcher.rules.qualifiers for p in rule.before]
    words = _alternation(p for p in phrases if p[-1].isalnum())
    symbols = _alternation(p for p in phrases if not p[-1].isalnum())
    return re.compile(rf"(?<![\w$])(?:({words}){_SPACE}|({symbols}){_OPT_SPACE})\Z", re.IGNORECASE)


_QUALIFIER_PIECES = ["more than", "than", "about", "out", "nearly", "early", "at least", "least", "up to", "some",
                     "~", "\u2248", "<", "over", "x", "$", "-", ",", "5", "a"]
_SPACES = ["", " ", "  ", "\n", "\r\n", " \n ", "\t", "\u00a0"]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(_QUALIFIER_PIECES + _SPACES), max_size=8).map("".join),
    st.sampled_from(_QUALIFIER_PIECES),
    st.sampled_from(_SPACES),
    st.data(),
)
def test_qualifiers_read_backwards_are_those_a_search_finds(before: str, last: str, space: str, data: Any) -> None:
    matcher = _TOOLKIT.get().matcher
    text = before + last + space  # a figure would start where the text ends
    high = len(text)
    # Any window, so that some start inside a word, as a figure's forty
    # characters may.
    low = data.draw(st.integers(0, high))
    found = _qualifier_search(matcher).search(text, low, high)
    expected = None
    if found:
        group = 1 if found.group(1) is not None else 2
        expected = (found.group(group), found.start(group))
    assert matcher._qualifier_before(text, low, high) == expected


# The forms these regexes were first written in, which the faster forms
# (opening with the set of their first characters) must match alike.
_CLAUSE_STOP_AS_WRITTEN = re.compile(r"[;:!?()\"\u201c\u201d]|(?<!\d)\.|\.(?!\d)|\n\s*\n")
_GAP_AS_WRITTEN = re.compile(r"\n[ \t]*\n\s*|(?<=[^.!?,;:\s\"'\u201d])[ \t]*\n(?=\s*\S)")
_STOPS_AND_GAPS = st.text(alphabet=st.sampled_from(list("ab1 \t\n\r.,;:!?()\"'\u201c\u201d\u00a0")), max_size=30)


@settings(max_examples=1500, deadline=None)
@given(_STOPS_AND_GAPS, st.integers(0, 30), st.integers(0, 30))
def test_clause_stops_and_gaps_match_as_their_written_forms(text: str, start: int, end: int) -> None:
    from factcheck.rules.engine import _CLAUSE_STOP
    from factcheck.rules.sentences import _GAP

    start, end = sorted((min(start, len(text)), min(end, len(text))))
    spans = lambda found: [m.span() for m in found]  # noqa: E731
    assert spans(_GAP.finditer(text, start, end)) == spans(_GAP_AS_WRITTEN.finditer(text, start, end))
    assert spans(_CLAUSE_STOP.finditer(text, start, end)) == spans(_CLAUSE_STOP_AS_WRITTEN.finditer(text, start, end))


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZb 5-\t\n.\u00a0\u00e9")), max_size=45), st.integers(0, 45))
def test_the_word_before_a_position_is_the_one_a_search_finds(text: str, position: int) -> None:
    from factcheck.rules.engine import _word_before

    position = min(position, len(text))
    found = re.search(r"([A-Za-z]+)[\s\-]*\Z", text[max(0, position - 30) : position])
    assert _word_before(text, position) == (found.group(1).lower() if found else "")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab. \t\n\u00a0")), max_size=30), st.integers(0, 30), st.integers(0, 30))
def test_a_region_is_split_into_paragraphs_only_at_its_line_breaks(text: str, start: int, end: int) -> None:
    from factcheck.model import Span
    from factcheck.rules.sentences import _GAP, _paragraphs

    start, end = sorted((min(start, len(text)), min(end, len(text))))
    paragraphs = _paragraphs(text, Span(start, end))
    if "\n" not in text[start:end]:
        assert paragraphs == [Span(start, end)]
    # Otherwise each gap between two paragraphs is one found from the white
    # space before the region (a gap may reach into it) that starts inside.
    scan_from = start
    while scan_from > 0 and text[scan_from - 1].isspace():
        scan_from -= 1
    gaps = [m.span() for m in _GAP.finditer(text, scan_from, end) if m.start() >= start]
    assert [(a.end, b.start) for a, b in zip(paragraphs, paragraphs[1:])] == gaps
    assert paragraphs[0].start == start and paragraphs[-1].end == end


def test_a_power_of_ten_needs_a_caret_a_sign_or_a_superscript(toolkit: pipeline.Toolkit) -> None:
    # "4 x 100" is a product; 10 followed by digits alone may be 10 or 100.
    found = pipeline.extract_text("the 4 x 100m relay and a 3 x 1023 grid", toolkit, latent=True)
    assert [(c.text, c.value) for c in found] == [("4", 4), ("100m", 100), ("3", 3), ("1023", 1023)]
    found = pipeline.extract_text("a pore 2 x 10^-9 metres wide", toolkit)
    assert [(c.text, c.value, c.unit) for c in found] == [("2 x 10^-9 metres", 2e-9, "meter")]


def test_money_is_no_share_of_what_follows(toolkit: pipeline.Toolkit) -> None:
    found = pipeline.extract_text("The firm spent $40 in 90 days, and one in five staff left.", toolkit)
    assert [(c.text, c.kind, c.value) for c in found] == [
        ("$40", "money", 40),
        ("90 days", "duration", 90),
        ("one in five", "fraction", 0.2),
    ]


def test_a_users_word_with_a_letter_outside_ascii_matches_in_any_case(tmp_path: Path) -> None:
    # Word lists match case-blind in ASCII mode, which compares no other letters.
    rules = tmp_path / "zloty.yaml"
    rules.write_text("currencies:\n  - code: PLN\n    words: [z\u0142oty]\n", encoding="utf-8")
    toolkit = pipeline.load_toolkit([rules])
    text = "The fine was 300 z\u0142oty, then 400 Z\u0141OTY."
    found = [(f.text, f.value, f.unit) for f in pipeline.extract_text(text, toolkit)]
    assert found == [("300 z\u0142oty", 300, "PLN"), ("400 Z\u0141OTY", 400, "PLN")]
