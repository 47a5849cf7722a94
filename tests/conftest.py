"""Shared fixtures: the shipped rules are loaded once per test session."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Compiled rules and regexes are cached in a folder of the test session's
# own, not the user's cache folder. Set before factcheck is imported: its
# modules read their fixed regexes from that folder as they load. Removed
# after factcheck has written to it at exit (exit handlers run last first).
_CACHE = Path(tempfile.mkdtemp(prefix="factcheck-tests-cache-"))
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)
os.environ["FACTCHECK_RULES_CACHE"] = str(_CACHE)

from factcheck import pipeline  # noqa: E402 - after the cache folder is set

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "us-russia-syria-geneva.txt"


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
