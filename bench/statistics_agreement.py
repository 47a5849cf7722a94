"""Compare figures across web sites on the Vlachos & Riedel (2015) sample.

Each row of ``../shared/eval/claims/vlachos_riedel_2015_sample.jsonl`` is one
sentence from one web site giving one statistical property of one country
("The latest value for GNI per capita ... in Romania was 15,780 as of
2011."). Rows are grouped by the data set's region and property: the
question here is comparison, not grouping, so every claim of a group gets
the property as its measure, each row is a document of its own, and its
outlet is the web site.

What the tool reads itself: the tagged number, through
``pipeline.extract_text`` (latent figures kept, since "was 15,780" names no
measure), with its qualifier and wording, hence its rounding; the speaker
("according to the World Bank"); and the dates in the same sentence, which
date the figure ("as of 2011"). Kinds and units are set aside (every figure
is read as a count): the data set already says what each number measures,
and a "9.1 %" next to an "8.9" is the same property. A tagged number the
tool does not find is read from the data set's value and the number as
tagged, and counted as a miss.

``graph.find_groups`` then rates each group at the shipped tolerances
(``factcheck/data/comparison.yaml``). The data's own disagreement: a group
whose values (``value_extracted``) differ by more than 5 % (largest over
smallest above 1.05), as the data set's README counts them.

    .venv/bin/python bench/statistics_agreement.py [--all] [--list]

``--all`` also takes the rows labelled N (wrongly identified claims);
``--list`` prints every group with its values, status and explanation.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "eval" / "claims" / "vlachos_riedel_2015_sample.jsonl"
sys.path.insert(0, str(REPO))

from factcheck import graph, pipeline  # noqa: E402
from factcheck.model import Claim, Source, Span  # noqa: E402


def _squash(text: str) -> str:
    return "".join(text.split()).casefold()


def read_row(row: dict, toolkit: pipeline.Toolkit) -> tuple[list[Claim], bool]:
    """The row's figure claim and the dates of its sentence; and whether the tool found the figure."""
    found = pipeline.extract_text(row["text"], toolkit, latent=True)
    wanted = _squash(row["number_text"])
    figure = next((c for c in found if c.kind != "date" and wanted in _squash(c.text)), None)
    hit = figure is not None
    if figure is None:
        at = row["text"].find(row["number_text"])
        span = Span(at, at + len(row["number_text"])) if at >= 0 else None
        sentence = next((c.sentence for c in found), " ".join(row["text"].split()))
        value = row["value_extracted"]
        figure = Claim(
            id="", source="", text=row["number_text"], sentence=sentence, kind="count", value=value,
            unit=None, qualifier=None, low=value, high=value, measure=None, said_by=None, span=span,
        )
    claims = [
        replace(figure, id=row["id"], source=row["id"], kind="count", unit=None, measure=row["property"], latent=False)
    ]
    for number, date in enumerate(c for c in found if c.kind == "date" and c.sentence == figure.sentence):
        claims.append(replace(date, id=f"{row['id']}-date-{number}", source=row["id"]))
    return claims, hit


def disagrees(values: list[float]) -> bool:
    values = [v for v in values if v is not None]
    return len(values) > 1 and min(values) > 0 and max(values) / min(values) > 1.05


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--all", action="store_true", help="also take the rows labelled N")
    parser.add_argument("--list", action="store_true", help="print every group")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} is not there (the shared data sits next to the repository)")
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if args.all or r["label"] == "Y"]
    untagged = [r for r in rows if not r["number_text"]]
    rows = [r for r in rows if r["number_text"]]

    toolkit = pipeline.load_toolkit()
    words = pipeline.grouping_lexicon(toolkit)
    by_group: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_group[row["group_id"]].append(row)
    groups = {key: members for key, members in by_group.items() if len({r["source_domain"] for r in members}) > 1}

    misses = 0
    statuses: Counter[str] = Counter()
    confusion: Counter[tuple[str, bool]] = Counter()
    upstream = 0
    for key in sorted(groups):
        members = groups[key]
        claims: list[Claim] = []
        sources = []
        for row in members:
            row_claims, hit = read_row(row, toolkit)
            misses += not hit
            claims += row_claims
            sources.append(Source(row["id"], None, row["source_url"], None, row["source_domain"], None, "", "ok"))
        lexicon = replace(words, groups={members[0]["property"]: members[0]["property"]})
        rated = graph.find_groups(claims, sources, toolkit.ureg, lexicon=lexicon, comparison=toolkit.comparison)
        (group,) = rated
        gold = disagrees([r["value_extracted"] for r in members])
        statuses[group.status] += 1
        confusion[(group.status, gold)] += 1
        upstream += group.status == "shared" and group.independent_sources < len(group.outlets)
        if args.list:
            values = ", ".join(f"{r['number_text']} ({r['source_domain']})" for r in members)
            print(f"{key}: {group.status}; data {'> 5 %' if gold else 'within 5 %'}\n  {values}\n  {group.explanation}")

    gold_total = sum(n for (_, gold), n in confusion.items() if gold)
    flagged = statuses["conflict"]
    hits = confusion[("conflict", True)]
    changed = confusion[("conflict", True)] + confusion[("update", True)]
    print(f"rows: {len(rows) + len(untagged)} ({'Y and N' if args.all else 'Y only'}); "
          f"{len(untagged)} without a tagged number left out")
    print(f"tagged numbers the tool did not find (read from the data instead): {misses} of "
          f"{sum(len(m) for m in groups.values())}")
    print(f"groups (region, property) from 2 or more web sites: {len(groups)}")
    print("tool: " + ", ".join(f"{statuses[s]} {s}" for s in ("conflict", "update", "shared", "single")))
    print(f"data: {gold_total} groups differ by more than 5 %")
    print(f"conflicts that the data also has as > 5 %: {hits} of {flagged} "
          f"(precision {hits / flagged if flagged else 0:.2f}, recall {hits / gold_total if gold_total else 0:.2f})")
    print(f"> 5 % groups the tool calls an update (dated apart or said to change): {confusion[('update', True)]}")
    print(f"> 5 % groups the tool flags at all (conflict or update): {changed} of {gold_total}")
    print(f"<= 5 % groups the tool calls a conflict: {confusion[('conflict', False)]}")
    print(f"shared groups whose agreement comes from fewer sources than web sites: {upstream}")


if __name__ == "__main__":
    main()
