"""Figure groups and the claim graph, on multi-document stories written for these tests.

Claims are built by hand from sentences with the figure in [brackets], with
a tiny lexicon, so these tests do not move when the shipped rules change.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pint
import pytest

from factcheck.graph import (
    ChangeCue,
    Comparison,
    ComparisonError,
    Lexicon,
    build_graph,
    compact_number,
    find_change,
    find_groups,
    format_number,
    load_comparison,
    reading,
    rounding,
    write_graphml,
)
from factcheck.model import Claim, ClaimSet, Decision, Review, Source, Span

LEXICON = Lexicon(
    groups={
        "killed": "deaths", "dead": "deaths", "died": "deaths", "toll": "deaths",
        "death toll": "deaths", "bodies": "deaths", "deaths": "deaths",
        "fled": "displaced", "displaced": "displaced", "forced": "displaced",
        "forced from their homes": "displaced",
        "cost": "damage", "damage": "damage", "losses": "damage",
        "turnout": "turnout",
        "cattle": "livestock",
        "soldiers": "troops", "troops": "troops",
        "homes": "homes",
    },
    generic_nouns=frozenset({"people", "residents", "civilians"}),
    auxiliaries=frozenset({"were", "was", "have", "has", "had", "been"}),
    skip=("of the", "the", "of"),
    window=4,
    org_words=frozenset({"Agency", "agency", "Ministry", "ministry", "officials"}),
    determiners=frozenset({"the", "a", "an", "senior"}),
    pronouns=frozenset({"he", "she", "they"}),
)

COMPARISON = Comparison(
    approximate=0.10,
    rounding_cap=0.05,
    changes=(
        ChangeCue("rose to <figure>", (("rose", "to"), ("raised", "...", "to")), "up"),
        ChangeCue("fell to <figure>", (("fell", "to"),), "down"),
        ChangeCue("up from <figure>", (("up", "from"),), "up", "earlier"),
    ),
)


@pytest.fixture(scope="module")
def ureg() -> pint.UnitRegistry:
    return pint.UnitRegistry()


def claim(claim_id: str, source: str, marked: str, value, **fields) -> Claim:
    """A claim on the [bracketed] figure of ``marked``; its sentence is ``marked`` unbracketed."""
    start = marked.index("[")
    end = marked.index("]") - 1
    sentence = marked.replace("[", "").replace("]", "")
    defaults = dict(
        kind="count", unit=None, qualifier=None, low=value, high=value, measure=None, said_by=None,
    )
    defaults.update(fields)
    return Claim(
        id=claim_id, source=source, text=sentence[start:end], sentence=sentence, value=value,
        span=Span(start, end), **defaults,
    )


def source(doc_id: str, outlet: str | None, published: str | None) -> Source:
    return Source(doc_id, f"{doc_id}.md", None, doc_id, outlet, published, "0" * 64, "ok")


def groups_of(claims, sources, ureg, decisions=(), comparison=COMPARISON):
    return find_groups(claims, sources, ureg, lexicon=LEXICON, comparison=comparison, decisions=decisions)


def only(groups, measure):
    found = [g for g in groups if g.measure == measure]
    assert len(found) == 1, [(g.measure, g.claim_ids) for g in groups]
    return found[0]


def group_id(*claim_ids: str) -> str:
    return "g-" + hashlib.sha1("\n".join(sorted(claim_ids)).encode()).hexdigest()[:8]


# --------------------------------------------------------------------------
# A flood told by four outlets: one agency's 112 everywhere, a doctor's 300.

FLOOD_SOURCES = (
    source("coastal", "Coastal Tribune", "2026-03-04"),
    source("meridian", "Meridian Press", "2026-03-04"),
    source("ledger", "The Daily Ledger", "2026-03-05"),
    source("harbour", None, None),
)


def flood_claims() -> list[Claim]:
    return [
        claim("ct-head", "coastal", "Flood toll reaches [112]", 112, measure="toll"),
        claim("ct-deaths", "coastal", "The flood killed [112] people, the National Disaster Agency said.", 112,
              measure="killed", said_by="the National Disaster Agency"),
        claim("ct-fled", "coastal", "[More than 4,000] people were forced from their homes, the agency said.",
              4000, low=4000, high=None, qualifier="more than", measure="forced", said_by="the agency"),
        claim("mp-deaths", "meridian", "The collapse has killed [112] people, the National Disaster Agency said.",
              112, measure="killed", said_by="the National Disaster Agency"),
        claim("mp-bodies", "meridian", '"We have recovered [112] bodies," agency spokeswoman Mara Lindqvist said.',
              112, measure="bodies", said_by="spokeswoman Mara Lindqvist"),
        claim("mp-fled", "meridian", "[More than 4,000] people were forced from their homes.", 4000,
              low=4000, high=None, qualifier="more than", measure="forced"),
        claim("dl-300", "ledger", '"We have seen [at least 300] dead," Dr. Ilan Petrov said.', 300,
              low=300, high=None, qualifier="at least", measure="dead", said_by="Dr. Ilan Petrov"),
        claim("dl-112", "ledger", "The National Disaster Agency said [112] people were killed.", 112,
              measure="killed", said_by="The National Disaster Agency"),
        claim("dl-fled", "ledger", "[Some 4,500] people have fled, residents said.", 4500, qualifier="about",
              approximate=True, measure="fled", said_by="residents"),
        claim("dl-schools", "ledger", "In the valley [112] schools closed, Petrov said.", 112, measure="schools",
              said_by="Petrov"),
        claim("dl-cattle", "ledger", "The water killed [85] cattle, a senior ministry official said.", 85,
              measure="cattle", said_by="a senior ministry official"),
        claim("hp-deaths", "harbour", "According to the National Disaster Agency, [112] people have died.", 112,
              measure="died", said_by="the National Disaster Agency"),
    ]


@pytest.fixture(scope="module")
def flood(ureg):
    return groups_of(flood_claims(), FLOOD_SOURCES, ureg)


def test_flood_groups_statuses_and_members(flood):
    assert [(g.status, g.measure, g.subject, g.claim_ids) for g in flood] == [
        ("conflict", "deaths", None, ("ct-deaths", "ct-head", "dl-112", "dl-300", "hp-deaths", "mp-bodies",
                                      "mp-deaths")),
        ("shared", "displaced", None, ("ct-fled", "dl-fled", "mp-fled")),
        ("single", "deaths", "livestock", ("dl-cattle",)),
        ("single", "schools", None, ("dl-schools",)),
    ]


def test_same_number_different_measure_is_never_compared(flood):
    """112 schools and 112 deaths in the same article; 85 cattle killed never join the toll."""
    deaths = next(g for g in flood if g.status == "conflict")
    assert "dl-schools" not in deaths.claim_ids and "dl-cattle" not in deaths.claim_ids


def test_conflict_explained_with_provenance(flood):
    deaths = flood[0]
    assert deaths.explanation == (
        "300 (Dr. Ilan Petrov, The Daily Ledger) conflicts with 112 (National Disaster Agency, via 4 outlets): "
        "at least 300 and exactly 112 cannot both hold. "
        "112: 1 independent source (National Disaster Agency), repeated by 4 outlets "
        "(Coastal Tribune, harbour, Meridian Press, The Daily Ledger). "
        "300: 1 independent source (Dr. Ilan Petrov) in 1 outlet (The Daily Ledger)."
    )
    assert deaths.independent_sources == 2
    assert deaths.origins == ("Dr. Ilan Petrov", "National Disaster Agency")
    assert deaths.outlets == ("Coastal Tribune", "harbour", "Meridian Press", "The Daily Ledger")
    assert deaths.speakers == (
        "Dr. Ilan Petrov", "The National Disaster Agency", "spokeswoman Mara Lindqvist",
        "the National Disaster Agency",
    )


def test_timeline_lists_each_figure_by_date(flood):
    assert flood[0].timeline == (
        ("2026-03-04", "112 (National Disaster Agency, via 2 outlets)",
         ("ct-deaths", "ct-head", "mp-bodies", "mp-deaths")),
        ("2026-03-05", "112 (National Disaster Agency, The Daily Ledger)", ("dl-112",)),
        ("2026-03-05", "300 (Dr. Ilan Petrov, The Daily Ledger)", ("dl-300",)),
    )


def test_shared_figure_names_every_source(flood):
    displaced = flood[1]
    assert displaced.explanation == (
        "3 outlets give compatible figures: More than 4,000, Some 4,500. "
        "More than 4,000 / Some 4,500: 3 independent sources (Meridian Press, National Disaster Agency, residents) "
        "in 3 outlets (Coastal Tribune, Meridian Press, The Daily Ledger)."
    )
    assert displaced.independent_sources == 3


def test_single_figures_say_where_and_who(flood):
    assert flood[2].explanation == "85, only in The Daily Ledger, from ministry official."
    assert flood[3].explanation == "112, only in The Daily Ledger, from Petrov."


def test_one_agency_quoted_by_five_outlets_is_one_source(ureg):
    names = ["Alpha News", "Beta Post", "Gamma Times", "Delta Wire", "Epsilon Daily"]
    sources = tuple(source(f"d{i}", name, "2025-01-10") for i, name in enumerate(names))
    claims = [
        claim(f"c{i}", f"d{i}", "At least [56] people died, according to the Health Ministry.", 56,
              low=56, high=None, qualifier="at least", measure="died", said_by="the Health Ministry")
        for i in range(5)
    ]
    (group,) = groups_of(claims, sources, ureg)
    assert group.status == "shared" and group.independent_sources == 1
    assert group.explanation.endswith(
        "56: 1 independent source (Health Ministry), repeated by 5 outlets "
        "(Alpha News, Beta Post, Delta Wire, Epsilon Daily, Gamma Times)."
    )
    # The same words from each outlet's own reporting: five sources.
    own = [replace(c, said_by=None) for c in claims]
    (group,) = groups_of(own, sources, ureg)
    assert group.independent_sources == 5
    assert group.explanation.endswith(
        "56: 5 independent sources (Alpha News, Beta Post, Delta Wire, Epsilon Daily, Gamma Times) in 5 outlets "
        "(Alpha News, Beta Post, Delta Wire, Epsilon Daily, Gamma Times)."
    )


def test_short_mentions_are_the_full_name_of_their_document(ureg):
    sources = (source("a", "A", None), source("b", "B", None))
    claims = [
        claim("a1", "a", "Regional governor Tomas Ferreira said repairs would cost [$2bn].", 2e9, kind="money",
              unit="USD", measure="cost", said_by="Regional governor Tomas Ferreira"),
        claim("b1", "b", "The bill will reach [$2bn], the governor says.", 2e9, kind="money", unit="USD",
              measure="cost", said_by="governor"),
        claim("b2", "b", "Repairs will cost [$2bn], governor Tomas Ferreira said.", 2e9, kind="money",
              unit="USD", measure="cost", said_by="governor Tomas Ferreira"),
    ]
    (group,) = groups_of(claims, sources, ureg)
    assert group.independent_sources == 1
    assert group.origins == ("Regional governor Tomas Ferreira",)


def test_unnamed_speakers_are_separate_sources_per_document(ureg):
    sources = (source("a", "A", None), source("b", "B", None))
    claims = [
        claim("a1", "a", "[12] people died, residents said.", 12, measure="died", said_by="residents"),
        claim("b1", "b", "[12] people died, residents said.", 12, measure="died", said_by="residents"),
    ]
    (group,) = groups_of(claims, sources, ureg)
    assert group.independent_sources == 2


# --------------------------------------------------------------------------
# Reading figures as intervals


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("$1.2bn", 1.2e9, 5e7),
        ("1.2 billion", 1.2e9, 5e7),
        ("1,200 million dollars", 1.2e9, 5e7),
        ("15,780", 15780, 5),
        ("112", 112, 0.5),
        ("300", 300, 15),  # the hundred would be 50: capped at 5 %
        ("4,500", 4500, 50),
        ("1.14", 1.14, 0.005),
        ("64%", 64, 0.5),
        ("two-thirds", 2 / 3, 0),
        ("half", 0.5, 0),
    ],
    ids=lambda v: str(v),
)
def test_rounding_follows_the_written_digits(text, value, expected):
    assert rounding(text, value, 0.05) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("marked", "value", "fields", "expected"),
    [
        ("[at least 300] dead", 300, dict(low=300, high=None, qualifier="at least"), (300, None)),
        ("[about 4,500] fled", 4500, dict(qualifier="about", approximate=True), (4050, 4950)),
        ("[nearly 10] feet", 10, dict(low=None, high=10, qualifier="nearly", approximate=True), (9, 10)),
        ("[1.2 billion] dollars", 1.2e9, {}, (1.15e9, 1.25e9)),
        ("[112] people", 112, {}, (111.5, 112.5)),
        ("[between 10 and 12] days", 10, dict(low=10, high=12, qualifier="between"), (10, 12)),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_reading_gives_the_interval_the_wording_allows(marked, value, fields, expected):
    got = reading(claim("x", "a", marked, value, **fields), COMPARISON)
    assert got == pytest.approx(expected)


SURGE_SOURCES = (source("a", "A", None), source("b", "B", None))


def pair(ureg, first: tuple, second: tuple, **shared):
    """Group two claims from two documents: (marked, value, fields) each."""
    claims = [
        claim("a1", "a", first[0], first[1], **{**shared, **first[2]}),
        claim("b1", "b", second[0], second[1], **{**shared, **second[2]}),
    ]
    return groups_of(claims, SURGE_SOURCES, ureg)


@pytest.mark.parametrize(
    ("first", "second", "statuses"),
    [
        # metres and feet convert before comparing: 10 ft = 3.048 m
        (("The water rose [3 metres].", 3, dict(kind="quantity", unit="meter")),
         ("The water rose [10 feet].", 10, dict(kind="quantity", unit="foot")), ["shared"]),
        (("The water rose [4 metres].", 4, dict(kind="quantity", unit="meter")),
         ("The water rose [10 feet].", 10, dict(kind="quantity", unit="foot")), ["conflict"]),
        # same measure, units of different dimensions: never compared
        (("The water rose [3 metres].", 3, dict(kind="quantity", unit="meter")),
         ("The water rose [3 kilograms].", 3, dict(kind="quantity", unit="kilogram")), ["single", "single"]),
        # money written two ways
        (("Repairs will cost [$1.2 billion].", 1.2e9, dict(kind="money", unit="USD")),
         ("Repairs will cost [1,200 million dollars].", 1.2e9, dict(kind="money", unit="USD")), ["shared"]),
        (("Repairs will cost [$1.2 billion].", 1.2e9, dict(kind="money", unit="USD")),
         ("Repairs will cost [1.3 billion dollars].", 1.3e9, dict(kind="money", unit="USD")), ["conflict"]),
        # "1.2 billion" stands for 1.15 to 1.25 billion
        (("Repairs will cost [$1.2 billion].", 1.2e9, dict(kind="money", unit="USD")),
         ("Repairs will cost [$1.15 billion].", 1.15e9, dict(kind="money", unit="USD")), ["shared"]),
        (("Repairs will cost [$1.2 billion].", 1.2e9, dict(kind="money", unit="USD")),
         ("Repairs will cost [$1.14 billion].", 1.14e9, dict(kind="money", unit="USD")), ["conflict"]),
        # a currency is compared only with itself
        (("Repairs will cost [$1.2 billion].", 1.2e9, dict(kind="money", unit="USD")),
         ("Repairs will cost [€1.2 billion].", 1.2e9, dict(kind="money", unit="EUR")), ["single", "single"]),
        # half and 50 %; a count never compares with a share
        (("[Half] the homes flooded.", 0.5, dict(kind="fraction", measure="homes")),
         ("[50%] of the homes flooded.", 50, dict(kind="percent", unit="percent", measure="homes")), ["shared"]),
        (("[Half] the homes flooded.", 0.5, dict(kind="fraction", measure="homes")),
         ("[60%] of the homes flooded.", 60, dict(kind="percent", unit="percent", measure="homes")), ["conflict"]),
        (("[Half] the homes flooded.", 0.5, dict(kind="fraction", measure="homes")),
         ("[50] homes flooded.", 50, dict(measure="homes")), ["single", "single"]),
        # two days and 48 hours
        (("The cut lasted [two days].", 2, dict(kind="duration", unit="day")),
         ("The cut lasted [48 hours].", 48, dict(kind="duration", unit="hour")), ["shared"]),
        # eight decades and 80 years (pint's own "decade" is a ratio, not a time)
        (("The dynasty ruled for [eight decades].", 8, dict(kind="duration", unit="decayear")),
         ("The dynasty ruled for [80 years].", 80, dict(kind="duration", unit="year")), ["shared"]),
        (("The dynasty ruled for [eight decades].", 8, dict(kind="duration", unit="decayear")),
         ("The dynasty ruled for [90 years].", 90, dict(kind="duration", unit="year")), ["conflict"]),
        # approximate wording widens by the documented 10 %
        (("[About 4,500] fled.", 4500, dict(qualifier="about", approximate=True, measure="fled")),
         ("[4,900] fled.", 4900, dict(measure="fled")), ["shared"]),
        (("[About 4,500] fled.", 4500, dict(qualifier="about", approximate=True, measure="fled")),
         ("[5,100] fled.", 5100, dict(measure="fled")), ["conflict"]),
        (("[Nearly 10] people fled.", 10, dict(low=None, high=10, qualifier="nearly", approximate=True,
                                              measure="fled")),
         ("[8] fled.", 8, dict(measure="fled")), ["conflict"]),
    ],
    ids=lambda v: v[0] if isinstance(v, tuple) else "",
)
def test_comparison_respects_wording_and_units(ureg, first, second, statuses):
    groups = pair(ureg, first, second, measure="rose")
    assert sorted(g.status for g in groups) == sorted(statuses)


def test_conflict_across_units_shows_the_conversion(ureg):
    (group,) = pair(
        ureg,
        ("The water rose [4 metres].", 4, dict(kind="quantity", unit="meter")),
        ("The water rose [10 feet].", 10, dict(kind="quantity", unit="foot")),
        measure="rose",
    )
    assert group.explanation.startswith(
        "4 metres (A) conflicts with 10 feet (B): 4 metres (3.8 to 4.2) (4 metres is 13.12 ft) "
        "and 10 feet (9.5 to 10.5) cannot both hold."
    )


# --------------------------------------------------------------------------
# Change over time


STORM_SOURCES = (source("mon", "Monday Post", "2024-06-01"), source("wed", "Wednesday Post", "2024-06-03"))


def test_reports_dated_apart_are_an_update_with_a_timeline(ureg):
    claims = [
        claim("m1", "mon", "The storm killed [14] people, officials said.", 14, measure="killed",
              said_by="officials"),
        claim("w1", "wed", "The storm killed [23] people, officials said.", 23, measure="killed",
              said_by="officials"),
    ]
    (group,) = groups_of(claims, STORM_SOURCES, ureg)
    assert group.status == "update"
    assert group.explanation.startswith(
        "Update, not a conflict: 14 (officials, Monday Post, 2024-06-01) was followed by "
        "23 (officials, Wednesday Post, 2024-06-03); the reports are dated apart."
    )
    assert group.timeline == (
        ("2024-06-01", "14 (officials, Monday Post)", ("m1",)),
        ("2024-06-03", "23 (officials, Wednesday Post)", ("w1",)),
    )
    assert group.relations == (("m1", "w1", "updates"),)


def test_wording_that_says_the_figure_rose_is_an_update(ureg):
    sources = (source("a", "A", None), source("b", "B", None))
    claims = [
        claim("a1", "a", "The storm killed [14] people.", 14, measure="killed"),
        claim("b1", "b", "The death toll rose to [23].", 23, measure="rose"),
    ]
    (group,) = groups_of(claims, sources, ureg)
    assert group.measure == "deaths"  # "rose" is no measure; "death toll" before it is
    assert group.status == "update"
    assert "the wording “rose to 23” says the figure changed" in group.explanation
    # The wording gives the direction: a toll that rose cannot explain a higher earlier figure.
    higher = [claims[0], replace(claims[1], value=9, low=9, high=9, text="9",
                                 sentence="The death toll rose to 9.")]
    (group,) = groups_of(higher, sources, ureg)
    assert group.status == "conflict"


def test_up_from_marks_the_earlier_figure(ureg):
    sources = (source("a", "A", None),)
    claims = [
        claim("a1", "a", "The toll reached [150], up from 112 on Monday.", 150, measure="toll"),
        claim("a2", "a", "The toll reached 150, up from [112] on Monday.", 112, measure="toll"),
    ]
    (group,) = groups_of(claims, sources, ureg)
    assert group.status == "update"
    assert group.explanation.startswith("Update, not a conflict: 112 (A) was followed by 150 (A)")


def test_same_day_disagreement_stays_a_conflict(ureg):
    claims = [
        claim("m1", "mon", "The storm killed [14] people, officials said.", 14, measure="killed",
              said_by="officials"),
        claim("m2", "mon", "A doctor said [40] people had died.", 40, measure="died", said_by="A doctor"),
        claim("w1", "wed", "The storm killed [14] people, officials said.", 14, measure="killed",
              said_by="officials"),
    ]
    (group,) = groups_of(claims, STORM_SOURCES, ureg)
    assert group.status == "conflict"


def test_a_date_in_the_sentence_dates_the_figure(ureg):
    sources = (source("a", "A", None), source("b", "B", None))
    claims = [
        claim("a1", "a", "The population was [20.1 million] as of 2011.", 20.1e6, measure="population"),
        claim("a-date", "a", "The population was 20.1 million [as of 2011].", "2011", kind="date",
              low="2011", high=None),
        claim("b1", "b", "The population was [19.9 million] in 2013.", 19.9e6, measure="population"),
        claim("b-date", "b", "The population was 19.9 million in [2013].", "2013", kind="date"),
    ]
    (group,) = groups_of(claims, sources, ureg)
    assert group.status == "update"
    assert [row[0] for row in group.timeline] == ["2011", "2013"]


def test_a_range_of_dates_in_the_sentence_dates_the_figure_by_its_end(ureg):
    sources = (source("a", "A", None), source("b", "B", None))
    claims = [
        claim("a1", "a", "Between 2019 and 2021 the population fell to [20.1 million].", 20.1e6,
              measure="population"),
        claim("a-date", "a", "[Between 2019 and 2021] the population fell to 20.1 million.", "2019",
              kind="date", low="2019", high="2021", qualifier="between"),
        claim("b1", "b", "The population was [19.9 million] in 2020.", 19.9e6, measure="population"),
        claim("b-date", "b", "The population was 19.9 million in [2020].", "2020", kind="date"),
    ]
    (group,) = groups_of(claims, sources, ureg)
    assert group.status == "update"
    assert [row[0] for row in group.timeline] == ["2020", "2021"]


def test_a_full_date_in_the_sentence_dates_the_event_not_the_count(ureg):
    """Both reports are of the same day: the breach date in one sentence does not make an update."""
    sources = (source("a", "A", "2026-03-05"), source("b", "B", "2026-03-05"))
    claims = [
        claim("a1", "a", "The breach on March 3, 2026 killed [112] people.", 112, measure="killed"),
        claim("a-date", "a", "The breach on [March 3, 2026] killed 112 people.", "2026-03-03", kind="date"),
        claim("b1", "b", "The breach killed [300] people.", 300, measure="killed"),
    ]
    (group,) = groups_of(claims, sources, ureg)
    assert group.status == "conflict"
    undated = (source("a", "A", None), source("b", "B", "2026-03-05"))
    (group,) = groups_of(claims, undated, ureg)
    assert group.status == "update"  # with no publication date, the sentence's date is all there is


# --------------------------------------------------------------------------
# What a figure measures


def test_noun_and_event_give_measure_and_subject(ureg):
    sources = (source("a", "A", None), source("b", "B", None))
    claims = [
        claim("a1", "a", "At least [300] soldiers were killed in the fighting.", 300, low=300, high=None,
              qualifier="at least", measure="soldiers"),
        claim("b1", "b", "Some [5,000] troops were deployed.", 5000, qualifier="about", approximate=True,
              measure="troops"),
        claim("b2", "b", "The shelling killed [112] civilians.", 112, measure="killed"),
        claim("a2", "a", "[112] people died in the shelling.", 112, measure="died"),
    ]
    groups = groups_of(claims, sources, ureg)
    assert sorted((g.measure, g.subject or "", g.claim_ids) for g in groups) == [
        ("deaths", "", ("a2", "b2")),
        ("deaths", "troops", ("a1",)),
        ("troops", "", ("b1",)),
    ]


def test_claims_without_measure_or_comparable_kind_are_left_out(ureg):
    sources = (source("a", "A", None),)
    claims = [
        claim("no-measure", "a", "It rained for [3] hours.", 3),
        claim("latent", "a", "Route [9] closed.", 9, measure="route", latent=True),
        claim("ordinal", "a", "The [third] meeting.", 3, kind="ordinal", measure="meeting"),
        claim("date", "a", "On [2024-03-04] it rained.", "2024-03-04", kind="date", measure="rain"),
        claim("rumour", "a", "[999] dead, a rumour said.", 999, measure="dead",
              review=Review(status="not-a-claim", note="a rumour")),
        replace(claim("gone", "a", "[12] dead.", 12, measure="dead"), missing=True, span=None),
    ]
    assert groups_of(claims, sources, ureg) == []


def test_find_groups_is_order_independent(ureg, flood):
    claims = flood_claims()
    random.Random(7).shuffle(claims)
    assert groups_of(claims, FLOOD_SOURCES[::-1], ureg) == flood


def test_measure_keys_alone_still_group(ureg):
    claims = [claim("a1", "a", "[12] killed.", 12, measure="killed"), claim("b1", "b", "[12] dead.", 12,
                                                                            measure="dead")]
    (group,) = find_groups(claims, SURGE_SOURCES, ureg, {"killed": "deaths", "dead": "deaths"})
    assert (group.status, group.measure) == ("shared", "deaths")


# --------------------------------------------------------------------------
# People's decisions


def test_resolved_conflict_is_shown_with_its_note(ureg, flood):
    note = "The hospital counts bodies received; the agency counts registered deaths."
    decisions = (Decision("resolved", ("dl-300", "dl-112"), note),)
    groups = groups_of(flood_claims(), FLOOD_SOURCES, ureg, decisions)
    deaths = only([g for g in groups if g.subject is None], "deaths")
    assert deaths.status == "shared"
    assert deaths.decisions == decisions
    assert deaths.explanation.startswith(
        "300 (Dr. Ilan Petrov, The Daily Ledger) and 112 (National Disaster Agency, via 4 outlets) cannot both "
        f"hold, but a person marked the conflict resolved: {note} "
    )
    assert ("dl-112", "dl-300", "resolved") in deaths.relations


def test_not_same_splits_a_group(ureg):
    decisions = (Decision("not-same", ("dl-300", "dl-112"), "Hospital intake, not deaths."),)
    groups = groups_of(flood_claims(), FLOOD_SOURCES, ureg, decisions)
    deaths = sorted((g for g in groups if g.measure == "deaths" and g.subject is None), key=lambda g: g.claim_ids)
    assert [(g.status, g.claim_ids) for g in deaths] == [
        ("shared", ("ct-deaths", "ct-head", "dl-112", "hp-deaths", "mp-bodies", "mp-deaths")),
        ("single", ("dl-300",)),
    ]
    assert deaths[1].explanation.endswith(
        "A person marked at least 300 (The Daily Ledger) and 112 (The Daily Ledger) as different figures, "
        "never compared: Hospital intake, not deaths."
    )


def test_not_same_parts_compatible_claims_too(ureg):
    decisions = (Decision("not-same", ("mp-bodies", "mp-deaths")),)
    groups = groups_of(flood_claims(), FLOOD_SOURCES, ureg, decisions)
    deaths = sorted(g.claim_ids for g in groups if g.measure == "deaths" and g.subject is None)
    assert deaths == [
        ("ct-deaths", "ct-head", "dl-112", "dl-300", "hp-deaths", "mp-bodies"),
        ("mp-deaths",),
    ]


def test_same_merges_groups_of_comparable_claims(ureg, flood):
    decisions = (Decision("same", ("dl-schools", "dl-112"), "The schools served as morgues."),)
    groups = groups_of(flood_claims(), FLOOD_SOURCES, ureg, decisions)
    assert "dl-schools" in groups[0].claim_ids
    assert groups[0].explanation.endswith(
        "A person marked 112 (The Daily Ledger) and 112 (The Daily Ledger) as the same figure: "
        "The schools served as morgues."
    )
    # A count and a sum of money stay apart, and say why.
    money = claim("dl-cost", "ledger", "Repairs will cost [$2bn].", 2e9, kind="money", unit="USD",
                  measure="cost")
    decisions = (Decision("same", ("dl-schools", "dl-cost")),)
    groups = groups_of([*flood_claims(), money], FLOOD_SOURCES, ureg, decisions)
    damage = only(groups, "damage")
    assert damage.claim_ids == ("dl-cost",)
    assert damage.explanation.endswith(
        "A person marked these claims as the same figure, but their kinds or units cannot be compared."
    )


def test_same_brings_in_a_claim_without_a_measure(ureg):
    sheltered = claim("ct-gyms", "coastal", "[About 4,200] of them spent the night in school gyms.", 4200,
                      qualifier="about", approximate=True, said_by="the agency")
    groups = groups_of([*flood_claims(), sheltered], FLOOD_SOURCES, ureg)
    assert not any("ct-gyms" in g.claim_ids for g in groups)
    decisions = (Decision("same", ("ct-gyms", "ct-fled")),)
    displaced = only(groups_of([*flood_claims(), sheltered], FLOOD_SOURCES, ureg, decisions), "displaced")
    assert displaced.claim_ids == ("ct-fled", "ct-gyms", "dl-fled", "mp-fled")


# --------------------------------------------------------------------------
# The comparison rule file


def test_shipped_comparison_rules_and_their_examples():
    comparison = load_comparison()
    assert (comparison.approximate, comparison.rounding_cap) == (0.10, 0.05)
    for cue in comparison.changes:
        for example in cue.examples:
            figure = example[example.index("[") + 1 : example.index("]")]
            sentence = example.replace("[", "").replace("]", "")
            assert find_change(sentence, figure, comparison) == cue.name, example


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tolerances:\n  aproximate: 0.1\n", "2: tolerances: unknown key 'aproximate'"),
        ("tolerances:\n  approximate: 1.5\n", "2: approximate must be a number from 0 up to (not including) 1"),
        ("changes:\n  - name: x\n    before: [rose to]\n    direction: sideways\n",
         "4: change 'x': direction must be one of up, down, either"),
        ("changes:\n  - name: x\n    before: [rose to]\n    direction: up\n    examples: ['It fell to [3].']\n",
         "5: change 'x': no phrase matches example 'It fell to [3].'"),
        ("changes:\n  - name: x\n    before: [... to]\n    direction: up\n",
         "3: change 'x': '...' must stand between words"),
        ("changes: [\n", "2: "),
    ],
    ids=["unknown key", "tolerance", "direction", "example", "gap", "yaml"],
)
def test_bad_comparison_file_names_file_and_line(tmp_path: Path, text: str, message: str):
    path = tmp_path / "comparison.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ComparisonError) as error:
        load_comparison(path)
    assert str(error.value).startswith(f"{path}:{message}")
    assert "\n" not in str(error.value)


def test_format_numbers():
    assert format_number(290000.0) == "290,000"
    assert format_number(3.048) == "3.048"
    assert format_number(12345.5) == "12,345.5"
    assert format_number(-0.25) == "-0.25"
    assert [compact_number(v) for v in (1.15e9, 4050.0, 2.52226e12, 0.585)] == [
        "1.15 billion", "4,050", "2.52226 trillion", "0.585",
    ]


# --------------------------------------------------------------------------
# Graph


def flood_graph(flood, claims=None):
    return build_graph(ClaimSet(sources=FLOOD_SOURCES, claims=tuple(claims or flood_claims())), flood)


def test_graph_nodes_and_edges(flood):
    graph = flood_graph(flood)
    types = {}
    for _, data in graph.nodes(data=True):
        types[data["type"]] = types.get(data["type"], 0) + 1
    assert types == {"source": 4, "speaker": 8, "claim": 12, "figure": 4}
    assert graph.nodes[f"group:{flood[0].id}"]["independent_sources"] == 2
    assert graph.nodes[f"group:{flood[2].id}"]["subject"] == "livestock"
    relations = {}
    for _, _, data in graph.edges(data=True):
        relations[data["relation"]] = relations.get(data["relation"], 0) + 1
    # 300 against each of six 112s; the 112s agree across documents (15 pairs,
    # 2 of them within one document); the 4,000s and the 4,500.
    assert relations["conflicts"] == 6
    assert relations["agrees"] == 13 + 3
    assert graph.has_edge("claim:dl-112", "claim:dl-300", key="conflicts")
    assert graph.has_edge("speaker:Dr. Ilan Petrov", "claim:dl-300", key="says")


def test_graph_attributes_are_graphml_safe(flood):
    graph = flood_graph(flood)
    values = [v for _, d in graph.nodes(data=True) for v in d.values()]
    values += [v for _, _, d in graph.edges(data=True) for v in d.values()]
    assert all(isinstance(v, str | int | float | bool) for v in values)


def test_graphml_round_trip_and_determinism(tmp_path, flood):
    graph = flood_graph(flood)
    path = tmp_path / "out" / "claims.graphml"
    write_graphml(graph, path)
    again = nx.read_graphml(path, force_multigraph=True)
    assert again.number_of_nodes() == graph.number_of_nodes()
    assert again.number_of_edges() == graph.number_of_edges()
    assert again.nodes["claim:dl-300"]["low"] == 300.0
    assert list(tmp_path.joinpath("out").iterdir()) == [path]
    shuffled = flood_claims()
    random.Random(3).shuffle(shuffled)
    other = tmp_path / "other.graphml"
    write_graphml(flood_graph(flood, shuffled), other)
    assert other.read_bytes() == path.read_bytes()


def test_group_ids_are_sha1_of_sorted_claim_ids(flood):
    assert flood[1].id == group_id("ct-fled", "dl-fled", "mp-fled")


def test_graphml_is_readable_by_all_and_left_alone_when_unchanged(tmp_path, flood):
    """Like the pages beside it: mode 644, and not rewritten when the same."""
    path = tmp_path / "claims.graphml"
    write_graphml(flood_graph(flood), path)
    assert path.stat().st_mode & 0o777 == 0o644
    before = path.stat()
    write_graphml(flood_graph(flood), path)
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    path.write_bytes(path.read_bytes()[:-10])
    write_graphml(flood_graph(flood), path)
    assert nx.read_graphml(path, force_multigraph=True).number_of_nodes() == flood_graph(flood).number_of_nodes()
