"""The README's commands are the ones that work, and CI runs the same tests."""

from __future__ import annotations

import re
from pathlib import Path

from factcheck import pipeline, store

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
TEST_COMMAND = "python -m pytest -q"


def test_readme_gives_the_two_commands() -> None:
    assert "pip install -e . && factcheck scan examples/" in README
    assert f'pip install -e ".[test]" && {TEST_COMMAND}' in README


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.strip().splitlines()[-1] == TEST_COMMAND
    assert 'pip install --quiet -e ".[test]"' in ci


def test_readme_summary_line_is_the_showcase_scan(monkeypatch) -> None:
    claimset = store.load_claims(REPO / "claims.yaml")
    toolkit = pipeline.load_toolkit()
    groups = tuple(pipeline.figure_groups(claimset, toolkit))
    warnings = sum(1 for s in claimset.sources if s.status != "ok")
    summary = pipeline.ScanResult(claimset, groups, (), ("",) * warnings).summary.line()
    quoted = re.search(r"`(\d+ documents, [^`]*)`", README)
    assert quoted and quoted.group(1) == summary


def test_readme_screenshots_exist() -> None:
    for image in re.findall(r"\]\((docs/[^)]+\.png)\)", README):
        assert (REPO / image).is_file(), image
