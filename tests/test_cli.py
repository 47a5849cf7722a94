"""The CLI as a user runs it: exit codes, exact messages, files written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import cli

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_scan_examples_writes_claims_and_reports(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLES, "examples")
    result = runner.invoke(cli, ["scan", "examples"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("5 documents, ")
    assert lines[0].endswith(" 1 conflict, 0 updates, 1 warning")
    assert lines[1] == "claims: claims.yaml  report: reports/index.html"
    assert "warning: examples/harbour-post-live-blog.txt: page unavailable (Page not found)" in result.stderr
    assert Path("claims.yaml").is_file()
    assert Path("reports/index.html").is_file()
    assert Path("reports/graph.graphml").is_file()
    assert Path("reports/documents/daily-ledger-hospital.html").is_file()


def test_broken_claims_file_is_left_untouched(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text("The flood killed 112 people.\n")
    broken = "version: 1\nsources: []\nclaims:\n  - id: c-1\n    source: [\n"
    Path("claims.yaml").write_text(broken)
    result = runner.invoke(cli, ["scan", "a.txt"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: claims.yaml:")
    assert result.stderr.count("\n") == 1
    assert Path("claims.yaml").read_text() == broken
    assert not Path("reports").exists()


def test_unknown_review_status_names_the_line(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text("The flood killed 112 people.\n")
    assert runner.invoke(cli, ["scan", "a.txt"]).exit_code == 0
    text = Path("claims.yaml").read_text()
    line = text.splitlines().index("      status: unreviewed") + 1
    Path("claims.yaml").write_text(text.replace("status: unreviewed", "status: maybe"))
    before = Path("claims.yaml").read_bytes()
    result = runner.invoke(cli, ["scan", "a.txt"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: claims.yaml:{line}: ")
    assert "maybe" in result.stderr
    assert Path("claims.yaml").read_bytes() == before


def test_report_rerenders_a_review(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text("The flood killed 112 people, the agency said.\n")
    assert runner.invoke(cli, ["scan", "a.txt"]).exit_code == 0
    text = Path("claims.yaml").read_text()
    Path("claims.yaml").write_text(text.replace("note: ''", "note: 'Checked <b>with</b> the agency'"))
    result = runner.invoke(cli, ["report"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "report: reports/index.html"
    page = Path("reports/documents/a.html").read_text()
    assert "Checked &lt;b&gt;with&lt;/b&gt; the agency" in page


def test_script_in_an_article_stays_text(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("evil.txt").write_text(
        "<script>alert(1)</script>\n\nThe storm killed 12 people, <img src=x onerror=alert(2)> officials said.\n"
    )
    assert runner.invoke(cli, ["scan", "evil.txt"]).exit_code == 0
    page = Path("reports/documents/evil.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page


def test_scan_of_a_missing_path_is_one_line(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["scan", "nowhere"])
    assert result.exit_code == 1
    assert result.stderr == "Error: nowhere: no such file or directory\n"
    assert not Path("claims.yaml").exists()


def test_extract_table(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["extract", "-"], input="The war has killed more than 290,000, monitors said.\n")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "text               kind   value   unit  interval    measure  said by   rule",
        "-----------------  -----  ------  ----  ----------  -------  --------  -----------------------------",
        "more than 290,000  count  290000  -     [290000, ]  killed   monitors  more than <figure> / <number>",
    ]


def test_extract_jsonl(runner: CliRunner) -> None:
    line = json.dumps({"id": "s1", "text": "Lavrov said the talks took two weeks."})
    result = runner.invoke(cli, ["extract", "--jsonl", "-"], input=line + "\n")
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert out["id"] == "s1"
    (claim,) = out["claims"]
    assert claim == {
        "start": 27,
        "end": 36,
        "text": "two weeks",
        "kind": "duration",
        "value": 2,
        "unit": "week",
        "qualifier": None,
        "low": 2,
        "high": 2,
        "measure": None,
        "said_by": "Lavrov",
        "said_by_span": [0, 6],
        "quote_span": [12, 36],
        "cue": "said",
        "via": None,
        "rule": "<number> <duration>",
        "latent": False,
        "noun": None,
    }


def test_extract_jsonl_in_parallel_keeps_the_order(runner: CliRunner) -> None:
    texts = [f"Rescuers found {n} survivors after {n + 1} days." for n in range(2, 60)]
    lines = "".join(json.dumps({"id": f"s{n}", "text": t}) + "\n" for n, t in enumerate(texts))
    serial = runner.invoke(cli, ["extract", "--jsonl", "-"], input=lines)
    parallel = runner.invoke(cli, ["extract", "--jsonl", "--jobs", "3", "-"], input=lines)
    assert parallel.exit_code == 0, parallel.output
    assert parallel.stdout == serial.stdout
    records = [json.loads(line) for line in parallel.stdout.splitlines()]
    assert [r["id"] for r in records] == [f"s{n}" for n in range(len(texts))]
    assert [[c["value"] for c in r["claims"]] for r in records[:2]] == [[2, 3], [3, 4]]


def test_extract_jsonl_bad_line(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["extract", "--jsonl", "-"], input='{"id": 1}\n')
    assert result.exit_code == 1
    assert result.stderr == 'Error: <stdin>:1: expected a JSON object with "id" and "text"\n'


def test_bad_rule_file_is_reported_with_its_line(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("mine.yaml").write_text("patterns:\n  - name: x\n    kind: weight\n    pattern: x\n")
    result = runner.invoke(cli, ["extract", "--rules", "mine.yaml", "-"], input="1\n")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: mine.yaml:2: rule 'x': unknown kind 'weight'; known: count, money, percent, "
        "fraction, quantity, duration, date, ordinal, tally\n"
    )


def test_every_command_has_help_with_an_example(runner: CliRunner) -> None:
    for name, command in cli.commands.items():
        assert command.help and "Example:" in command.help, name
        assert runner.invoke(cli, [name, "--help"]).exit_code == 0


def test_extract_table_writes_small_values_in_full(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["extract", "-"], input="The rate rose from 1.1 to 3.0 per 100,000.\n")
    assert result.exit_code == 0
    row = result.stdout.splitlines()[2]
    assert "0.000011" in row and "[0.000011, 0.00003]" in row and "e-05" not in row


def test_the_installed_command_runs_the_cli_with_garbage_collection_back_on() -> None:
    import subprocess
    import sys
    from importlib.metadata import entry_points

    (command,) = [e for e in entry_points(group="console_scripts") if e.name == "factcheck"]
    assert command.value == "factcheck.__main__:main"
    probe = (
        "import gc, sys; from factcheck import __main__ as entry, cli; "
        "cli.main = lambda: print(gc.isenabled(), gc.get_freeze_count() > 1000); entry.main()"
    )
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout == "True True\n"
    run = subprocess.run(
        [sys.executable, "-m", "factcheck", "extract", "--jsonl", "-"],
        input='{"id": "a", "text": "The flood killed 112 people."}\n',
        capture_output=True,
        text=True,
        check=True,
    )
    (claim,) = json.loads(run.stdout)["claims"]
    assert (claim["text"], claim["value"], claim["measure"]) == ("112", 112, "killed")
