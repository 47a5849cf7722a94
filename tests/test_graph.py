"""Figure groups and the claim graph, on a small three-source flood story."""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace

import networkx as nx
import pint
import pytest

from factcheck.graph import (
    APPROXIMATE_TOLERANCE,
    ROUNDING_TOLERANCE,
    build_graph,
    find_groups,
    format_number,
    write_graphml,
)
from factcheck.model import Claim, ClaimSet, Review, Source, Span

MEASURES = {"killed": "deaths", "dead": "deaths", "died": "deaths", "death toll": "deaths"}

TEXTS = {
    "coastal-tribune": (
        "Floods hit the coast\n\n"
        "The floods killed 112 people, the National Disaster Agency said on Monday.\n\n"
        "The surge reached about 3 metres in the harbour, and farmers lost 85 cattle.\n\n"
        "It was the third meeting of the crisis committee."
    ),
    "daily-ledger": (
        "Dr. Ilan Petrov said at least 300 people died in the floods.\n\n"
        "Half of the homes in the valley were flooded, he said. Route 9 was closed."
    ),
    "meridian-wire": (
        "Officials confirmed 112 dead on Monday.\n\n"
        "The surge was 10 feet high and 50% of homes were flooded. Some 999 dead, a rumour said."
    ),
}


@pytest.fixture(scope="module")
def ureg() -> pint.UnitRegistry:
    return pint.UnitRegistry()


def make_claim(claim_id: str, source: str, text: str, **fields) -> Claim:
    """A claim whose span and sentence are found in the source's text."""
    doc = TEXTS[source]
    start = doc.index(text)
    defaults = dict(
        sentence=text,
        kind="count",
        value=None,
        unit=None,
        qualifier=None,
        low=None,
        high=None,
        measure=None,
        said_by=None,
    )
    defaults.update(fields)
    speaker = defaults.get("said_by")
    if speaker and "said_by_span" not in fields and speaker in doc:
        at = doc.index(speaker)
        defaults["said_by_span"] = Span(at, at + len(speaker))
    span = Span(start, start + len(text))
    return Claim(id=claim_id, source=source, text=text, span=span, **defaults)


def story_claims() -> list[Claim]:
    return [
        make_claim("ct-deaths", "coastal-tribune", "112 people", value=112, measure="killed",
                   said_by="National Disaster Agency", cue="said"),
        make_claim("ct-surge", "coastal-tribune", "about 3 metres", kind="quantity", value=3,
                   unit="metre", measure="surge", approximate=True, qualifier="about"),
        make_claim("ct-cattle", "coastal-tribune", "85 cattle", value=85, measure="cattle"),
        make_claim("ct-third", "coastal-tribune", "third meeting", kind="ordinal", value=3,
                   measure="meeting"),
        make_claim("dl-deaths", "daily-ledger", "at least 300", value=300, low=300,
                   qualifier="at least", measure="died", said_by="Dr. Ilan Petrov", cue="said"),
        make_claim("dl-homes", "daily-ledger", "Half", kind="fraction", value=0.5,
                   measure="homes flooded", said_by="Dr. Ilan Petrov", cue="said"),
        make_claim("dl-route", "daily-ledger", "9", value=9, latent=True),
        make_claim("mw-deaths", "meridian-wire", "112 dead", value=112, measure="dead"),
        make_claim("mw-surge", "meridian-wire", "10 feet", kind="quantity", value=10, unit="foot",
                   measure="surge"),
        make_claim("mw-homes", "meridian-wire", "50%", kind="percent", value=50,
                   measure="Homes flooded"),
        make_claim("mw-rumour", "meridian-wire", "999 dead", value=999, measure="dead",
                   review=Review(status="not-a-claim", note="a rumour, not a claim")),
    ]


SOURCES = (
    Source("coastal-tribune", "ct.html", None, "Floods hit the coast", "Coastal Tribune",
           "2024-03-04", "aa", "ok"),
    Source("daily-ledger", "dl.html", None, "Death toll disputed", None, "2024-03-05", "bb", "ok"),
    Source("meridian-wire", "mw.html", None, "Officials confirm toll", "Meridian Wire",
           "2024-03-05", "cc", "ok"),
)


def group_id(*claim_ids: str) -> str:
    return "g-" + hashlib.sha1("\n".join(sorted(claim_ids)).encode()).hexdigest()[:8]


@pytest.fixture(scope="module")
def groups(ureg):
    return find_groups(story_claims(), SOURCES, ureg, MEASURES)


# --------------------------------------------------------------------------
# find_groups


def test_groups_statuses_members_and_order(groups):
    summary = [(g.status, g.measure, g.claim_ids) for g in groups]
    assert summary == [
        ("conflict", "deaths", ("ct-deaths", "dl-deaths", "mw-deaths")),
        ("shared", "homes flooded", ("dl-homes", "mw-homes")),
        ("shared", "surge", ("ct-surge", "mw-surge")),
        ("single", "cattle", ("ct-cattle",)),
    ]


def test_group_ids_are_sha1_of_sorted_claim_ids(groups):
    assert [g.id for g in groups] == [
        group_id("ct-deaths", "dl-deaths", "mw-deaths"),
        group_id("dl-homes", "mw-homes"),
        group_id("ct-surge", "mw-surge"),
        group_id("ct-cattle"),
    ]


def test_group_fields(groups):
    deaths, homes, surge, cattle = groups
    assert deaths.kind == "count" and deaths.unit is None
    assert deaths.sources == ("coastal-tribune", "daily-ledger", "meridian-wire")
    assert deaths.speakers == ("Dr. Ilan Petrov", "National Disaster Agency")
    assert homes.kind == "fraction"  # one fraction, one percent: ties go alphabetically
    assert surge.kind == "quantity" and surge.unit == "foot, metre"
    assert cattle.sources == ("coastal-tribune",) and cattle.speakers == ()


def test_explanations(groups):
    deaths, homes, surge, cattle = groups
    assert deaths.explanation == (
        "300 (at least 300; Dr. Ilan Petrov, daily-ledger) conflicts with "
        "112 (112 people; National Disaster Agency, Coastal Tribune): "
        "at least 300 and 112 people cannot both hold. "
        "1 more pair of figures in this group also conflicts."
    )
    assert homes.explanation == (
        "homes flooded reported by 2 sources (Meridian Wire, daily-ledger) "
        "with compatible figures: Half, 50%."
    )
    assert surge.explanation == (
        "surge reported by 2 sources (Coastal Tribune, Meridian Wire) "
        "with compatible figures: about 3 metres, 10 feet."
    )
    assert cattle.explanation == "85 cattle reported only by Coastal Tribune."


def test_shared_explanation_with_one_figure(ureg):
    claims = [
        make_claim("ct-deaths", "coastal-tribune", "112 people", value=112, measure="killed"),
        make_claim("mw-deaths", "meridian-wire", "112 dead", value=112, measure="dead"),
    ]
    (group,) = find_groups(claims, SOURCES, ureg, MEASURES)
    assert group.status == "shared"
    assert group.explanation == (
        "112 deaths reported by 2 sources (Coastal Tribune, Meridian Wire) with compatible figures."
    )


def test_skipped_claims_form_no_group(groups):
    grouped = {cid for g in groups for cid in g.claim_ids}
    # ordinal, latent, not-a-claim
    assert not grouped & {"ct-third", "dl-route", "mw-rumour"}


def test_claims_without_measure_are_never_grouped(ureg):
    claims = [
        make_claim("ct-deaths", "coastal-tribune", "112 people", value=112),
        make_claim("mw-deaths", "meridian-wire", "112 dead", value=112),
    ]
    assert find_groups(claims, SOURCES, ureg, MEASURES) == []


def test_missing_and_date_claims_are_skipped(ureg):
    claims = [
        replace(
            make_claim("ct-deaths", "coastal-tribune", "112 people", value=112, measure="killed"),
            missing=True,
            span=None,
        ),
        make_claim("ct-date", "coastal-tribune", "Monday", kind="date", value="2024-03-04",
                   measure="killed"),
    ]
    assert find_groups(claims, SOURCES, ureg, MEASURES) == []


def test_metres_and_feet_need_the_approximate_tolerance(ureg):
    """10 ft = 3.048 m: within 10 % of "about 3 metres", not within 0.5 % of "3 metres"."""
    assert 3 * (1 + APPROXIMATE_TOLERANCE) > 3.048 * (1 - ROUNDING_TOLERANCE)
    assert 3 * (1 + ROUNDING_TOLERANCE) < 3.048 * (1 - ROUNDING_TOLERANCE)
    claims = {c.id: c for c in story_claims()}
    pair = [claims["ct-surge"], claims["mw-surge"]]
    (approximate,) = find_groups(pair, SOURCES, ureg)
    assert approximate.status == "shared"
    exact = [replace(claims["ct-surge"], approximate=False, text="3 metres"), claims["mw-surge"]]
    (group,) = find_groups(exact, SOURCES, ureg)
    assert group.status == "conflict"
    assert group.explanation == (
        "10 foot (10 feet; the article, Meridian Wire) conflicts with "
        "3 metre (3 metres; the article, Coastal Tribune): 10 feet and 3 metres cannot both hold."
    )


def test_fraction_and_percent_compare(ureg):
    claims = {c.id: c for c in story_claims()}
    sixty = replace(claims["mw-homes"], value=60, text="60%")
    (group,) = find_groups([claims["dl-homes"], sixty], SOURCES, ureg)
    assert group.status == "conflict"
    # Count and percent never compare, even for the same measure.
    as_count = replace(claims["mw-homes"], kind="count")
    assert len(find_groups([claims["dl-homes"], as_count], SOURCES, ureg)) == 2


def test_durations_convert(ureg):
    claims = [
        make_claim("ct-d", "coastal-tribune", "Floods", kind="duration", value=2, unit="week",
                   measure="evacuation"),
        make_claim("mw-d", "meridian-wire", "Officials", kind="duration", value=14, unit="day",
                   measure="evacuation"),
    ]
    (group,) = find_groups(claims, SOURCES, ureg)
    assert group.status == "shared" and group.unit == "day, week"


def test_currencies_group_only_with_the_same_code(ureg):
    def money(claim_id, source, value, unit):
        text = "Floods" if source == "coastal-tribune" else "Officials"
        return make_claim(claim_id, source, text, kind="money", value=value, unit=unit,
                          measure="damage")

    mixed = find_groups([money("ct-m", "coastal-tribune", 1.2e9, "USD"),
                         money("mw-m", "meridian-wire", 1.2e9, "EUR")], SOURCES, ureg)
    assert [(g.status, g.unit) for g in mixed] == [("single", "EUR"), ("single", "USD")]
    same = find_groups([money("ct-m", "coastal-tribune", 1.2e9, "USD"),
                        money("mw-m", "meridian-wire", 1.1e9, "USD")], SOURCES, ureg)
    assert [g.status for g in same] == ["conflict"]
    assert same[0].explanation.startswith(
        "1,200,000,000 USD (Floods; the article, Coastal Tribune)"
    )


def test_same_source_compatible_claims_are_single(ureg):
    claims = [
        make_claim("ct-a", "coastal-tribune", "112 people", value=112, measure="killed"),
        make_claim("ct-b", "coastal-tribune", "85 cattle", value=112, measure="death toll"),
    ]
    (group,) = find_groups(claims, SOURCES, ureg, MEASURES)
    assert group.status == "single"
    assert group.explanation == (
        "112 deaths reported only by Coastal Tribune (2 claims: 112 people, 85 cattle)."
    )


def test_rounding_tolerance_absorbs_rounded_figures(ureg):
    claims = [
        make_claim("ct-a", "coastal-tribune", "112 people", value=290_000, measure="killed"),
        make_claim("mw-a", "meridian-wire", "112 dead", value=289_612, measure="dead"),
    ]
    (group,) = find_groups(claims, SOURCES, ureg, MEASURES)
    assert group.status == "shared"


def test_find_groups_is_order_independent(ureg, groups):
    claims = story_claims()
    random.Random(7).shuffle(claims)
    assert find_groups(claims, SOURCES[::-1], ureg, MEASURES) == groups


def test_format_number():
    assert format_number(290000.0) == "290,000"
    assert format_number(3.048) == "3.048"
    assert format_number(12345.5) == "12,345.5"
    assert format_number(-0.25) == "-0.25"


# --------------------------------------------------------------------------
# Graph


def story_graph(ureg, groups, claims=None):
    claimset = ClaimSet(sources=SOURCES, claims=tuple(claims or story_claims()))
    return build_graph(claimset, groups, ureg=ureg)


def test_graph_nodes(ureg, groups):
    graph = story_graph(ureg, groups)
    types = {}
    for _, data in graph.nodes(data=True):
        types[data["type"]] = types.get(data["type"], 0) + 1
    assert types == {"source": 3, "speaker": 2, "claim": 11, "figure": 4}
    assert graph.nodes["speaker:Dr. Ilan Petrov"] == {"type": "speaker", "name": "Dr. Ilan Petrov"}
    deaths = graph.nodes["claim:dl-deaths"]
    assert deaths["low"] == 300.0 and deaths["value"] == 300.0 and "high" not in deaths
    assert deaths["measure"] == "died" and deaths["text"] == "at least 300"
    assert graph.nodes[f"group:{groups[0].id}"]["status"] == "conflict"
    assert graph.nodes["source:daily-ledger"]["title"] == "Death toll disputed"
    assert "outlet" not in graph.nodes["source:daily-ledger"]


def test_graph_edges(ureg, groups):
    graph = story_graph(ureg, groups)
    relations = {}
    for _, _, data in graph.edges(data=True):
        relations[data["relation"]] = relations.get(data["relation"], 0) + 1
    assert relations == {"contains": 11, "says": 3, "in_group": 8, "conflicts": 2, "agrees": 3}
    conflicts = sorted((u, v) for u, v, d in graph.edges(data=True) if d["relation"] == "conflicts")
    assert conflicts == [
        ("claim:ct-deaths", "claim:dl-deaths"),
        ("claim:dl-deaths", "claim:mw-deaths"),
    ]
    agrees = sorted((u, v) for u, v, d in graph.edges(data=True) if d["relation"] == "agrees")
    assert agrees == [
        ("claim:ct-deaths", "claim:mw-deaths"),
        ("claim:ct-surge", "claim:mw-surge"),
        ("claim:dl-homes", "claim:mw-homes"),
    ]
    assert graph.has_edge("source:coastal-tribune", "claim:ct-deaths", key="contains")
    assert graph.has_edge("speaker:National Disaster Agency", "claim:ct-deaths", key="says")


def test_graph_attributes_are_graphml_safe(ureg, groups):
    graph = story_graph(ureg, groups)
    values = [v for _, d in graph.nodes(data=True) for v in d.values()]
    values += [v for _, _, d in graph.edges(data=True) for v in d.values()]
    assert all(isinstance(v, str | int | float | bool) for v in values)


def test_graphml_round_trip_and_determinism(tmp_path, ureg, groups):
    graph = story_graph(ureg, groups)
    path = tmp_path / "out" / "claims.graphml"
    write_graphml(graph, path)
    again = nx.read_graphml(path, force_multigraph=True)
    assert again.number_of_nodes() == graph.number_of_nodes() == 20
    assert again.number_of_edges() == graph.number_of_edges() == 27
    assert again.nodes["claim:dl-deaths"]["low"] == 300.0
    assert again.nodes["claim:ct-surge"]["approximate"] is True
    assert list(tmp_path.joinpath("out").iterdir()) == [path]

    shuffled = story_claims()
    random.Random(3).shuffle(shuffled)
    other = tmp_path / "other.graphml"
    write_graphml(story_graph(ureg, groups, shuffled), other)
    assert other.read_bytes() == path.read_bytes()


def test_date_values_go_to_text_attributes(ureg):
    claim = make_claim("ct-date", "coastal-tribune", "Monday", kind="date", value="2024-03-04")
    graph = build_graph(ClaimSet(sources=SOURCES, claims=(claim,)), [], ureg=ureg)
    data = graph.nodes["claim:ct-date"]
    assert data["value_text"] == "2024-03-04" and "value" not in data
