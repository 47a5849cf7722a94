"""Shared fixtures: the shipped rules are loaded once per test session."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from factcheck import pipeline

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "us-russia-syria-geneva.txt"


@pytest.fixture(scope="session", autouse=True)
def _rules_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Compiled rules are cached in a folder of the test session's own, not
    the user's cache folder."""
    folder = tmp_path_factory.mktemp("rules-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FACTCHECK_RULES_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="session")
def toolkit() -> pipeline.Toolkit:
    return pipeline.load_toolkit()


def need_seed() -> Path:
    """The seed page, read from ../shared next to the repository.

    A plain clone may not have ../shared: its tests are then skipped, unless
    FACTCHECK_REQUIRE_SHARED is set (CI sets it), which makes them fail.
    """
    if not SEED.exists():
        message = f"{SEED} is not there (the shared data sits next to the repository)"
        if os.environ.get("FACTCHECK_REQUIRE_SHARED"):
            pytest.fail(message)
        pytest.skip(message)
    return SEED


def need_shared(relative: str) -> Path:
    """A file or folder of ../shared (e.g. ``"eval/html/soft404"``), read
    where it lies and never copied; skipped or failed as ``need_seed`` is."""
    path = SHARED / relative
    if not path.exists():
        message = f"{path} is not there (the shared data sits next to the repository)"
        if os.environ.get("FACTCHECK_REQUIRE_SHARED"):
            pytest.fail(message)
        pytest.skip(message)
    return path
