"""`factcheck export` and people's decisions, end to end through real files."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from factcheck import pipeline
from factcheck.cli import cli
from factcheck.export import group_to_dict
from factcheck.model import DECISIONS, GROUP_STATUSES, Claim, ClaimSet, Decision, FigureGroup, Source, Span
from factcheck.store import DECISION_KEYS, load_claims, save_claims

GROUP_KEYS = ["id", "status", "measure", "unit", "claims", "speakers", "outlets", "independent_sources", "explanation"]


def sourced(doc_id: str, outlet: str, published: str) -> Source:
    return Source(doc_id, f"{doc_id}.md", None, None, outlet, published, "ab" * 32, "ok")


def counted(claim_id: str, doc_id: str, sentence: str, figure: str, value: float, said_by: str | None,
            measure: str = "killed", **fields) -> Claim:
    start = sentence.index(figure)
    base = dict(kind="count", unit=None, qualifier=None, low=value, high=value)
    base.update(fields)
    return Claim(
        id=claim_id, source=doc_id, text=figure, sentence=sentence, value=value, measure=measure,
        said_by=said_by, span=Span(start, start + len(figure)), rule="<number>", **base,
    )


def story(decisions=()) -> ClaimSet:
    """A ferry sinking told by three outlets: the coastguard's 41 twice, a survivor's 60."""
    return ClaimSet(
        sources=(sourced("bay", "Bay Herald", "2025-09-02"), sourced("isle", "Isle Courier", "2025-09-02"),
                 sourced("wire", "North Wire", "2025-09-02")),
        claims=(
            counted("c-bay", "bay", "The sinking killed 41 people, the Coastguard Service said.", "41", 41,
                    "the Coastguard Service"),
            counted("c-isle", "isle", "According to the Coastguard Service, 41 people died.", "41", 41,
                    "the Coastguard Service", measure="died"),
            counted("c-wire", "wire", "At least 60 people were killed, a survivor said.", "At least 60", 60,
                    "a survivor", low=60, high=None, qualifier="at least"),
            counted("c-hull", "wire", "The ferry was insured for 35 million euros.", "35 million euros", 35e6,
                    None, measure="insured", kind="money", unit="EUR"),
        ),
        decisions=decisions,
    )


def export(claims_path: Path, *args: str):
    return CliRunner().invoke(cli, ["export", "--format", "json", "--claims", str(claims_path), *args])


def test_export_gives_sources_claims_decisions_and_groups(tmp_path: Path):
    path = tmp_path / "story.yaml"
    note = "The survivor counted passengers missing, not bodies."
    save_claims(story((Decision("resolved", ("c-bay", "c-wire"), note),)), path)
    result = export(path)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert list(data) == ["sources", "claims", "decisions", "groups"]
    on_file = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["claims"] == on_file["claims"]
    assert [s["id"] for s in data["sources"]] == ["bay", "isle", "wire"]
    assert data["decisions"] == [{"decision": "resolved", "claims": ["c-bay", "c-wire"], "note": note}]
    deaths = data["groups"][0]
    assert list(deaths)[: len(GROUP_KEYS)] == GROUP_KEYS
    assert deaths["status"] == "shared"  # the conflict is resolved
    assert deaths["measure"] == "deaths" and deaths["unit"] is None
    assert deaths["claims"] == ["c-bay", "c-isle", "c-wire"]
    assert deaths["outlets"] == ["Bay Herald", "Isle Courier", "North Wire"]
    assert deaths["independent_sources"] == 2
    assert deaths["explanation"].startswith(
        "60 (survivor, North Wire) and 41 (Coastguard Service, via 2 outlets) cannot both hold, "
        f"but a person marked the conflict resolved: {note} "
    )
    assert "41: 1 independent source (Coastguard Service), repeated by 2 outlets (Bay Herald, Isle Courier)." in (
        deaths["explanation"]
    )
    hull = data["groups"][1]
    assert (hull["status"], hull["measure"], hull["unit"], hull["claims"]) == ("single", "insured", "EUR", ["c-hull"])
    assert hull["explanation"] == "35 million euros, only in North Wire."


def test_export_flags_the_conflict_without_a_decision(tmp_path: Path):
    path = tmp_path / "claims.yaml"
    save_claims(story(), path)
    deaths = json.loads(export(path).stdout)["groups"][0]
    assert deaths["status"] == "conflict"
    assert deaths["explanation"].startswith(
        "60 (survivor, North Wire) conflicts with 41 (Coastguard Service, via 2 outlets): "
        "At least 60 and exactly 41 cannot both hold."
    )


def test_export_reads_claims_yaml_by_default_and_is_deterministic(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    save_claims(story(), Path("claims.yaml"))
    first = CliRunner().invoke(cli, ["export"])
    second = CliRunner().invoke(cli, ["export", "--format", "json"])
    assert first.exit_code == 0 and first.stdout == second.stdout
    assert first.stdout.endswith("}\n")


def test_export_of_a_broken_claims_file_is_one_line_and_prints_nothing(tmp_path: Path):
    path = tmp_path / "claims.yaml"
    save_claims(story(), path)
    text = path.read_text(encoding="utf-8") + "decisions:\n  - decision: merge\n    claims: [c-bay, c-isle]\n"
    path.write_text(text, encoding="utf-8")
    line = text.count("\n") - 1
    result = export(path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {path}:{line}: decision #1: decision must be one of same, not-same, resolved, not 'merge'\n"
    )


def test_export_names_its_formats(tmp_path: Path):
    result = CliRunner().invoke(cli, ["export", "--format", "xml", "--claims", str(tmp_path / "c.yaml")])
    assert result.exit_code == 2
    assert (
        "Invalid value for '--format': 'xml' is not one of 'json', 'csv', 'claimreview', 'graphml', 'gexf'"
        in result.stderr
    )


# --------------------------------------------------------------------------
# Decisions survive a rescan and show in the report


ARTICLES = {
    "bay-herald.md": (
        "---\ntitle: Ferry sinks off Skerra\noutlet: Bay Herald\npublished: 2025-09-02\n---\n\n"
        "The sinking killed 41 people, the Coastguard Service said.\n"
    ),
    "north-wire.md": (
        "---\ntitle: Survivor says toll higher\noutlet: North Wire\npublished: 2025-09-02\n---\n\n"
        "At least 60 people were killed, a survivor said.\n"
    ),
}


def test_a_decision_is_kept_by_the_next_scan_and_shown_in_the_report(tmp_path: Path, toolkit):
    articles = tmp_path / "articles"
    articles.mkdir()
    for name, text in ARTICLES.items():
        (articles / name).write_text(text, encoding="utf-8")
    claims_path, reports = tmp_path / "claims.yaml", tmp_path / "reports"
    first = pipeline.scan([articles], claims_path, reports, toolkit=toolkit)
    (conflict,) = [g for g in first.groups if g.status == "conflict"]
    assert conflict.measure == "deaths" and len(conflict.claim_ids) == 2
    note = "The survivor counted the missing too."
    decision = f"decisions:\n  - decision: resolved\n    claims: [{', '.join(conflict.claim_ids)}]\n    note: {note}\n"
    claims_path.write_text(claims_path.read_text(encoding="utf-8") + decision, encoding="utf-8")

    second = pipeline.scan([articles], claims_path, reports, toolkit=toolkit)
    assert load_claims(claims_path).decisions == (Decision("resolved", conflict.claim_ids, note),)
    assert claims_path.read_text(encoding="utf-8").endswith(decision)
    (deaths,) = [g for g in second.groups if g.measure == "deaths"]
    assert deaths.status == "shared"
    assert f"a person marked the conflict resolved: {note}" in deaths.explanation
    page = (reports / "figures" / f"{deaths.id}.html").read_text(encoding="utf-8")
    assert f"<tr><td>resolved</td><td><code>{', '.join(conflict.claim_ids)}</code></td><td>{note}</td></tr>" in page


def test_figures_page_names_every_status_decision_key_and_tolerance():
    page = (Path(__file__).resolve().parents[1] / "docs" / "figures.md").read_text(encoding="utf-8")
    group = FigureGroup("g", "single", "count", None, None, (), (), (), "")
    names = [*GROUP_STATUSES, *DECISIONS, *DECISION_KEYS, *group_to_dict(group), "approximate", "rounding_cap"]
    assert [name for name in names if f"`{name}`" not in page and f'"{name}"' not in page] == []
