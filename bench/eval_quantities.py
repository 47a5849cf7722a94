"""Measure the figure extraction against NewsQuant and Duckling's corpora.

Runs ``factcheck extract --jsonl`` as a separate process on the sentences of
each evaluation set (read from ``../shared/eval`` next to the repository, never
copied into it), converts its output to the scorer's prediction format, and
runs the set's own scorer, which prints the tables.

    python bench/eval_quantities.py                 # both sets, without and with latent figures
    python bench/eval_quantities.py --latent on     # only with latent figures (--latent)
    python bench/eval_quantities.py --set newsquant --latent off --fail-log
    FACTCHECK_COMMAND="python -m ..." python bench/eval_quantities.py   # another build

Intermediate files (inputs, raw output, predictions, failures) go to
``bench/out/``, which git ignores. The conversions are the conventions in
docs/figure-conventions.md, section "Scoring on NewsQuant and Duckling".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
OUT = REPO / "bench" / "out"

# NewsQuant annotates neither dates nor ordinals.
NEWSQUANT_SKIPPED_KINDS = ("date", "ordinal")
# Units pint can only spell with a prefix, by the name NewsQuant gives them.
NEWSQUANT_UNIT_NAMES = {"centipercent": "basis point", "decayear": "decade"}


def factcheck_command() -> list[str]:
    """The ``factcheck`` script of this interpreter's environment, or the
    command in ``FACTCHECK_COMMAND`` (to measure another build)."""
    if os.environ.get("FACTCHECK_COMMAND"):
        return os.environ["FACTCHECK_COMMAND"].split()
    beside = Path(sys.executable).parent / "factcheck"
    found = str(beside) if beside.exists() else shutil.which("factcheck")
    if not found:
        sys.exit("factcheck is not installed in this environment: pip install -e .")
    return [found]


def run_extract(records: list[dict[str, str]], name: str, latent: bool) -> list[dict[str, Any]]:
    """Write ``{"id", "text"}`` lines, run ``factcheck extract --jsonl``, read its output."""
    OUT.mkdir(parents=True, exist_ok=True)
    source = OUT / f"{name}-input.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    command = factcheck_command() + ["extract", "--jsonl", str(source)] + (["--latent"] if latent else [])
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0:
        sys.exit(f"factcheck extract failed: {done.stderr.strip()}")
    (OUT / f"{name}-output.jsonl").write_text(done.stdout, encoding="utf-8")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def currency_name(code: str) -> str:
    """A currency's English name ("Croatian Kuna" for HRK), as NewsQuant names
    currencies; the names are CLDR's, from babel (installed with trafilatura)."""
    from babel.numbers import get_currency_name

    return get_currency_name(code, locale="en")


def newsquant_unit(claim: dict[str, Any]) -> str | None:
    """The unit as NewsQuant scores it: count nouns are units, shares are
    percent, currencies have their names ("US Dollar / barrel")."""
    kind, unit, noun = claim["kind"], claim.get("unit"), claim.get("noun")
    if kind == "count" and unit and unit.startswith("1 / ") and noun:
        return f"{noun} / {unit[4:]}"  # "3,000 tests per day": "tests / day"
    if kind == "count":
        return noun
    if kind == "fraction":
        return "percent"
    if kind == "money" and unit:
        code, slash, per = unit.partition(" / ")
        return currency_name(code) + slash + per
    return NEWSQUANT_UNIT_NAMES.get(unit, unit)


def newsquant_quantity(claim: dict[str, Any]) -> dict[str, Any]:
    """One figure in NewsQuant's shape.

    NewsQuant keeps an amount in the subunit written ("19 cents": 19 cent),
    where factcheck gives it in the currency (0.19 USD): the subunit rule's
    figures are turned back, with the subunit word as the unit.
    """
    low, high = claim.get("low"), claim.get("high")
    if claim["kind"] == "tally":  # NewsQuant writes a score "2-0" as the range [2, 0]
        low, high = (float(n) for n in claim["value"].split("-"))
    both = isinstance(low, (int, float)) and isinstance(high, (int, float))
    value = claim["value"] if isinstance(claim["value"], (int, float)) else None
    unit = newsquant_unit(claim)
    if "<currency subunit>" in claim["rule"] and value is not None:
        value, low, high = (None if v is None else round(v * 100, 9) for v in (value, low, high))
        written = re.search(r"\d\s*([^\W\d]+|\u00a2)", claim["text"])
        per = claim["unit"].partition(" / ")[2]
        unit = (written.group(1) if written else claim["unit"]) + (f" / {per}" if per else "")
    return {
        "start": claim["start"],
        "end": claim["end"],
        "value": value,
        "range": [low, high] if both and (low != high or claim["kind"] == "tally") else None,
        "unit": unit,
    }


def join_falling(text: str, quantities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """'from 6.2 to 5.9 percent': two figures for us (a change), one range
    [6.2, 5.9] for NewsQuant, which writes a change from one figure to another
    as a range whichever way it goes."""
    out: list[dict[str, Any]] = []
    for quantity in quantities:
        last = out[-1] if out else None
        if (
            last is not None
            and last["range"] is None
            and quantity["range"] is None
            and last["unit"] == quantity["unit"]
            and None not in (last["value"], quantity["value"])
            and last["value"] > quantity["value"]
            and re.fullmatch(r"\s+to\s+", text[last["end"] : quantity["start"]])
            and re.search(r"\bfrom\s+\Z", text[: last["start"]], re.IGNORECASE)
        ):
            out[-1] = {**last, "end": quantity["end"], "value": None, "range": [last["value"], quantity["value"]]}
        else:
            out.append(quantity)
    return out


def score_newsquant(latent: bool, fail_log: bool) -> None:
    folder = EVAL / "quantity"
    gold = [json.loads(line) for line in (folder / "newsquant-dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    name = "newsquant-latent" if latent else "newsquant"
    rows = run_extract([{"id": g["id"], "text": g["text"]} for g in gold], name, latent)
    predictions = OUT / f"{name}-pred.jsonl"
    texts = {g["id"]: g["text"] for g in gold}
    with predictions.open("w", encoding="utf-8") as out:
        for row in rows:
            kept = [newsquant_quantity(c) for c in row["claims"] if c["kind"] not in NEWSQUANT_SKIPPED_KINDS]
            quantities = join_falling(texts[row["id"]], kept)
            out.write(json.dumps({"id": row["id"], "quantities": quantities}) + "\n")
    label = "factcheck" + (" --latent" if latent else "")
    command = [sys.executable, str(folder / "score.py"), "--gold", str(folder / "newsquant-dev.jsonl"),
               "--pred", str(predictions), "--name", f"NewsQuant dev, {label}"]
    if fail_log:
        command += ["--json", str(OUT / f"{name}-errors.json")]
    subprocess.run(command, check=True)


def duckling_figure(claim: dict[str, Any], phrase: str) -> dict[str, Any]:
    """Duckling's shape: a point has a value; an interval has min and max.

    Duckling's span of a quantity takes in the thing measured after "of"
    ("3 cups of sugar"); ours is the figure, with the thing as its measure.
    The span given to the scorer runs on to the measure when one follows so.
    """
    value, low, high = claim["value"], claim.get("low"), claim.get("high")
    point = low == high and low is not None
    end = claim["end"]
    measure = claim.get("measure")
    if claim["kind"] == "quantity" and measure:
        product = re.match(rf"\s+of\s+(?:[\w-]+\s+){{0,2}}?{re.escape(measure)}\b", phrase[end:], re.IGNORECASE)
        end += product.end() if product else 0
    return {
        "start": claim["start"],
        "end": end,
        "value": value if point else None,
        "min": None if point else low,
        "max": None if point else high,
        "unit": claim.get("unit"),
    }


def score_duckling(latent: bool, fail_log: bool) -> None:
    folder = EVAL / "duckling"
    cases = [json.loads(line) for line in (folder / "cases-dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    phrases = sorted({c["phrase"] for c in cases})
    name = "duckling-latent" if latent else "duckling"
    rows = run_extract([{"id": str(i), "text": p} for i, p in enumerate(phrases)], name, latent)
    predictions = OUT / f"{name}-pred.jsonl"
    with predictions.open("w", encoding="utf-8") as out:
        for row in rows:
            phrase = phrases[int(row["id"])]
            figures = [duckling_figure(c, phrase) for c in row["claims"]]
            out.write(json.dumps({"phrase": phrase, "figures": figures}, ensure_ascii=False) + "\n")
    print(f"Duckling dev, factcheck{' --latent' if latent else ''}")
    command = [sys.executable, str(folder / "score.py"), str(predictions), "--cases", str(folder / "cases-dev.jsonl")]
    if fail_log:
        command += ["--fail-log", str(OUT / f"{name}-fails.jsonl")]
    subprocess.run(command, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=("newsquant", "duckling", "all"), default="all")
    parser.add_argument(
        "--latent", choices=("off", "on", "both"), default="both", help="leave out or keep latent figures (bare numbers)"
    )
    parser.add_argument("--fail-log", action="store_true", help="write the scorer's error lists to bench/out/")
    args = parser.parse_args()
    if not EVAL.is_dir():
        sys.exit(f"{EVAL}: the evaluation data is not there")
    settings = {"off": [False], "on": [True], "both": [False, True]}[args.latent]
    runs = [(score, latent) for score in (score_newsquant, score_duckling) for latent in settings]
    runs = [r for r in runs if args.set == "all" or r[0].__name__ == f"score_{args.set}"]
    for index, (score, latent) in enumerate(runs):
        if index:
            print()
        score(latent, args.fail_log)


if __name__ == "__main__":
    main()
