"""Time figure extraction on one long document, to show it grows with the text.

The NewsQuant development sentences (from ``../shared/eval``, never copied
into the repository) are joined into a single document, once, 4 times and
16 times over, paragraphs apart, and each is read by its own
``factcheck extract --jsonl`` process (start-up included, a small part of
these times). A step that walks the whole text for every figure shows up
here as a rate that falls as the text grows.

    python bench/speed_long_text.py
    python bench/speed_long_text.py --times 1 8 32 --runs 3
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from eval_quantities import factcheck_command
from speed_quantities import OUT, newsquant_sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--times", type=int, nargs="+", default=[1, 4, 16], help="how many times over to join the sentences")
    parser.add_argument("--runs", type=int, default=3, help="time each document this many times; keep the best")
    args = parser.parse_args()

    sentences = newsquant_sentences()
    factcheck = factcheck_command()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"{'times':>5s} {'characters':>11s} {'figures':>8s} {'seconds':>8s} {'chars/s':>9s}")
    for times in args.times:
        text = "\n\n".join(sentences * times)
        document = OUT / f"speed-long-{times}.jsonl"
        document.write_text(json.dumps({"id": str(times), "text": text}) + "\n", encoding="utf-8")
        best, output = float("inf"), ""
        for _ in range(args.runs):
            start = time.perf_counter()
            done = subprocess.run([*factcheck, "extract", "--jsonl", str(document)], capture_output=True, text=True)
            best = min(best, time.perf_counter() - start)
            if done.returncode != 0:
                sys.exit(f"factcheck failed: {done.stderr.strip()[-500:]}")
            output = done.stdout
        figures = len(json.loads(output)["claims"])
        print(f"{times:5d} {len(text):11,d} {figures:8d} {best:8.2f} {len(text) / best:9,.0f}")


if __name__ == "__main__":
    main()
