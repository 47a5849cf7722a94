"""Measure attribution (who stands behind each figure) on PolNeAR paragraphs.

Feeds every paragraph of ``../shared/eval/attribution/polnear-train-numeric.jsonl``
through one ``factcheck extract --jsonl`` process, turns the figures into the
scorer's attributions, and prints the scorer's table (source precision, recall
and F1, recall by bucket) and the speed of the extract run in characters per
second.

How figures become attributions: the scorer wants one source span and one
content span per attribution, while ``extract`` gives one record per figure.
Figures are grouped by their speaker's mention (``said_by_span``): one
mention with its cue is one attribution, whose source is that mention and
whose content is the union of the figures' statements (``quote_span``, or the
figure's own span when there is none). Figures the document asserts itself
(no speaker) are not attributions and are left out.

The run keeps latent figures (``--latent``): the annotated statements count
any number, a bare year or "six" included, and who said a number is the
question here, not whether it is a claim. ``--claims-only`` drops them.

    .venv/bin/python bench/attribution.py [--claims-only] [--strict] [--errors errors.jsonl]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval" / "attribution"


def factcheck_command() -> list[str]:
    """The installed ``factcheck`` next to this Python, else the one on PATH."""
    beside = Path(sys.executable).parent / "factcheck"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("factcheck")
    if found is None:
        sys.exit("factcheck is not installed: run `pip install -e .` in the repository")
    return [found]


def to_attributions(claims: list[dict]) -> list[dict]:
    """One scorer attribution per speaker mention, its content the figures' statements."""
    groups: dict[tuple[int, int], set[tuple[int, int]]] = {}
    for claim in claims:
        source = claim.get("said_by_span")
        if not source:
            continue
        content = claim.get("quote_span") or [claim["start"], claim["end"]]
        groups.setdefault((source[0], source[1]), set()).add((content[0], content[1]))
    return [
        {"source_start": s, "source_end": e, "content_spans": _merged(contents)}
        for (s, e), contents in groups.items()
    ]


def _merged(spans: set[tuple[int, int]]) -> list[list[int]]:
    """Sorted spans with overlapping ones joined, so no character counts twice."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return out


def run_extract(inputs: Path, latent: bool) -> tuple[str, float]:
    """The output of one ``factcheck extract --jsonl`` process and its wall time."""
    started = time.perf_counter()
    run = subprocess.run(
        [*factcheck_command(), "extract", "--jsonl", str(inputs), *(["--latent"] if latent else [])],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"factcheck extract failed: {run.stderr.strip()}")
    return run.stdout, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=EVAL / "polnear-train-numeric.jsonl")
    parser.add_argument("--claims-only", action="store_true", help="leave latent figures out")
    parser.add_argument("--strict", action="store_true", help="exact source spans instead of overlap")
    parser.add_argument("--errors", type=Path, help="write the scorer's error cases (JSON lines) here")
    parser.add_argument("--keep", type=Path, help="also write the predictions (scorer format) here")
    parser.add_argument(
        "--repeat", type=int, default=20, help="copies of the file fed to one process to time it (default 20)"
    )
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"{args.data}: not found (the evaluation data sits in ../shared next to the repository)")

    units = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "inputs.jsonl"
        inputs.write_text(
            "".join(json.dumps({"id": u["id"], "text": u["text"]}, ensure_ascii=False) + "\n" for u in units),
            encoding="utf-8",
        )
        output, _ = run_extract(inputs, not args.claims_only)
        # Speed: many copies in one process, less the start-up an empty input
        # takes (best of three each, as other work on the machine only slows).
        empty = Path(tmp) / "empty.jsonl"
        empty.write_text("", encoding="utf-8")
        copies = Path(tmp) / "copies.jsonl"
        copies.write_text(inputs.read_text(encoding="utf-8") * args.repeat, encoding="utf-8")
        startup = min(run_extract(empty, not args.claims_only)[1] for _ in range(3))
        seconds = min(run_extract(copies, not args.claims_only)[1] for _ in range(3))
        predictions = Path(tmp) / "predictions.jsonl"
        rows = [json.loads(line) for line in output.splitlines() if line.strip()]
        predictions.write_text(
            "".join(
                json.dumps({"id": r["id"], "attributions": to_attributions(r["claims"])}, ensure_ascii=False) + "\n"
                for r in rows
            ),
            encoding="utf-8",
        )
        if args.keep:
            shutil.copyfile(predictions, args.keep)
        score = [sys.executable, str(EVAL / "score.py"), "--gold", str(args.data), "--pred", str(predictions)]
        if args.strict:
            score.append("--strict")
        if args.errors:
            score += ["--errors", str(args.errors)]
        subprocess.run(score, check=True)

    chars = sum(len(u["text"]) for u in units) * args.repeat
    figures = sum(len(r["claims"]) for r in rows)
    working = max(seconds - startup, 1e-9)
    print(
        f"extract --jsonl{'' if args.claims_only else ' --latent'}: {figures} figures in {len(units)} paragraphs; "
        f"{args.repeat} copies ({chars:,} chars) in {seconds:.2f} s, start-up {startup:.2f} s: "
        f"{chars / working:,.0f} chars/s after start-up"
    )


if __name__ == "__main__":
    main()
