"""Shared fixtures: the shipped rules are loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck import pipeline

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "us-russia-syria-geneva.txt"


@pytest.fixture(scope="session")
def toolkit() -> pipeline.Toolkit:
    return pipeline.load_toolkit()
