"""Time figure extraction against quantulum3 on the same text, as whole processes.

Both tools read the NewsQuant development sentences (from ``../shared/eval``,
never copied into the repository), one sentence at a time, and each is timed
as a complete process from start to exit, start-up included:

    factcheck extract --jsonl sentences.jsonl
    python q3_run.py sentences.txt          # quantulum3's parser.parse per line

quantulum3 is not a dependency of this project: it is installed into a
throwaway virtual environment (``bench/out/q3-venv`` by default, which git
ignores) the first time, with the ordinary ``pip`` client.

    python bench/speed_quantities.py                  # best of 7 runs each
    python bench/speed_quantities.py --repeat 10      # the text 10 times over
    python bench/speed_quantities.py --jobs 0         # factcheck on every processor
    python bench/speed_quantities.py --q3-python /tmp/q3/bin/python

It also times each tool on one short sentence, to show start-up apart from
the work. factcheck runs once untimed first: its compiled rules are cached
between runs (``~/.cache/factcheck``), as they are on any machine that has
run it before.

Both run with their modules compiled to bytecode, as ``pip install`` leaves
them: the script compiles factcheck's first (``compileall``), since an
editable install under PYTHONDONTWRITEBYTECODE would otherwise compile the
sources again at every start.

``FACTCHECK_COMMAND`` times another build of factcheck instead of the one
installed beside this interpreter.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
OUT = REPO / "bench" / "out"

Q3_RUNNER = '''
import sys
import warnings

warnings.simplefilter("ignore")
from quantulum3 import parser

found = 0
with open(sys.argv[1], encoding="utf-8") as lines:
    for line in lines:
        found += len(parser.parse(line.rstrip("\\n")))
print(found)
'''


def newsquant_sentences() -> list[str]:
    """The NewsQuant development sentences, read from ``../shared/eval``."""
    source = EVAL / "quantity" / "newsquant-dev.jsonl"
    if not source.exists():
        sys.exit(f"{source}: the evaluation data is not there")
    return [json.loads(line)["text"] for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]


def quantulum_python(given: str | None) -> str:
    """An interpreter with quantulum3, making a throwaway environment if needed."""
    if given:
        return given
    venv = OUT / "q3-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"installing quantulum3 into {venv} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "quantulum3"], check=True)
    return str(python)


# Both tools run as from a user's shell: an inherited PYTHONUNBUFFERED would
# make every line of output a write of its own.
_ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


def _run(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", env=_ENVIRONMENT)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{command[0]} failed: {done.stderr.strip()[-500:]}")
    return elapsed, done.stdout


def timed(commands: list[list[str]], runs: int) -> list[tuple[list[float], str]]:
    """For each command, the wall-clock times of ``runs`` runs, fastest
    first, and the last run's output. The commands take turns, so that a
    slower spell of the machine falls on all of them alike."""
    times: list[list[float]] = [[] for _ in commands]
    outputs = [""] * len(commands)
    for _ in range(runs):
        for index, command in enumerate(commands):
            elapsed, outputs[index] = _run(command)
            times[index].append(elapsed)
    return [(sorted(each), output) for each, output in zip(times, outputs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1, help="use the sentences this many times over")
    parser.add_argument("--runs", type=int, default=7, help="time each process this many times; keep the best")
    parser.add_argument("--q3-python", help="an interpreter that has quantulum3 installed")
    parser.add_argument("--jobs", type=int, default=1, help="factcheck's --jobs (0: one process per processor)")
    args = parser.parse_args()

    sentences = [s.replace("\n", " ") for s in newsquant_sentences()] * args.repeat
    OUT.mkdir(parents=True, exist_ok=True)
    as_jsonl = OUT / "speed-input.jsonl"
    as_lines = OUT / "speed-input.txt"
    as_jsonl.write_text("".join(json.dumps({"id": str(i), "text": s}) + "\n" for i, s in enumerate(sentences)), encoding="utf-8")
    as_lines.write_text("".join(s + "\n" for s in sentences), encoding="utf-8")
    runner = OUT / "q3_run.py"
    runner.write_text(Q3_RUNNER, encoding="utf-8")
    chars = sum(len(s) for s in sentences)

    factcheck = os.environ.get("FACTCHECK_COMMAND", str(Path(sys.executable).parent / "factcheck")).split()
    compileall.compile_dir(REPO / "factcheck", quiet=1)
    # One run first, untimed: it fills factcheck's cache of compiled rules,
    # as any earlier run on the machine would have.
    _run([*factcheck, "extract", "--jsonl", str(as_jsonl)])
    q3 = quantulum_python(args.q3_python)
    # Start-up alone: the same commands on one short sentence.
    one_jsonl, one_line = OUT / "speed-one.jsonl", OUT / "speed-one.txt"
    one_jsonl.write_text(json.dumps({"id": "0", "text": "It rose 5%."}) + "\n", encoding="utf-8")
    one_line.write_text("It rose 5%.\n", encoding="utf-8")
    (ours_runs, ours_out), (theirs_runs, theirs_out), (ours_start_runs, _), (theirs_start_runs, _) = timed(
        [
            [*factcheck, "extract", "--jsonl", "--jobs", str(args.jobs), str(as_jsonl)],
            [q3, str(runner), str(as_lines)],
            [*factcheck, "extract", "--jsonl", str(one_jsonl)],
            [q3, str(runner), str(one_line)],
        ],
        args.runs,
    )
    ours, theirs, ours_start, theirs_start = (runs[0] for runs in (ours_runs, theirs_runs, ours_start_runs, theirs_start_runs))
    ours_found = sum(len(json.loads(line)["claims"]) for line in ours_out.splitlines() if line.strip())

    print(f"text: {len(sentences)} NewsQuant dev sentences, {chars:,} characters; best of {args.runs} runs")
    print(f"factcheck --jobs {args.jobs} ({os.cpu_count()} processors here)")
    print(f"{'tool':12s} {'seconds':>8s} {'chars/s':>10s} {'figures':>8s} {'start-up':>9s} {'chars/s after start-up':>23s}")
    for name, total, start, found in (
        ("factcheck", ours, ours_start, ours_found),
        ("quantulum3", theirs, theirs_start, int(theirs_out.strip() or 0)),
    ):
        after = chars / (total - start) if total > start else float("inf")
        print(f"{name:12s} {total:8.3f} {chars / total:10,.0f} {found:8d} {start:9.3f} {after:23,.0f}")
    # The machine's own noise: on a shared virtual machine the same run can
    # take half as long again. The best run of each is the one compared.
    print(f"slowest runs: factcheck {ours_runs[-1]:.3f} s, quantulum3 {theirs_runs[-1]:.3f} s")
    print(f"factcheck is {theirs / ours:.1f} times as fast as quantulum3 (whole processes, start-up included)")
    if ours > ours_start and theirs > theirs_start:
        # On a long text start-up fades and this ratio is what is left.
        work_ratio = (theirs - theirs_start) / (ours - ours_start)
        print(f"and {work_ratio:.1f} times on the work alone (each time less its start-up)")


if __name__ == "__main__":
    main()
