"""The root claims.yaml and reports/ are the scan of examples/: keep them fresh.

When this fails, run `factcheck scan examples/` from the repository root
and commit the result (reviews in claims.yaml are kept by the scan).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factcheck import pipeline, store

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("showcase")
    shutil.copy(REPO / "claims.yaml", out / "claims.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)  # sources record paths relative to the repository root
        pipeline.scan(["examples"], out / "claims.yaml", out / "reports", toolkit=pipeline.load_toolkit())
    return out


def test_claims_file_is_current(regenerated: Path) -> None:
    assert (regenerated / "claims.yaml").read_bytes() == (REPO / "claims.yaml").read_bytes(), (
        "claims.yaml is stale: run `factcheck scan examples/` from the repository root"
    )


def test_reports_are_current(regenerated: Path) -> None:
    fresh = sorted(p.relative_to(regenerated / "reports") for p in (regenerated / "reports").rglob("*") if p.is_file())
    kept = sorted(p.relative_to(REPO / "reports") for p in (REPO / "reports").rglob("*") if p.is_file())
    assert fresh == kept
    for name in fresh:
        assert (regenerated / "reports" / name).read_bytes() == (REPO / "reports" / name).read_bytes(), (
            f"reports/{name} is stale: run `factcheck scan examples/` from the repository root"
        )


def test_showcase_has_hand_reviews() -> None:
    reviewed = [c for c in store.load_claims(REPO / "claims.yaml").claims if c.review.status != "unreviewed"]
    assert len(reviewed) >= 3
    assert all(c.review.note for c in reviewed)


def test_showcase_shows_every_feature() -> None:
    claimset = store.load_claims(REPO / "claims.yaml")
    toolkit = pipeline.load_toolkit()
    groups = pipeline.figure_groups(claimset, toolkit)
    statuses = {g.status for g in groups}
    assert {"shared", "conflict"} <= statuses
    claims = claimset.claims
    assert any(c.said_by and c.said_by.lower().startswith("a senior") for c in claims), "an anonymous source"
    assert any(c.quote_span is not None and c.said_by for c in claims), "a quote"
    units = {c.unit for g in groups if g.status == "shared" for c in claims if c.id in g.claim_ids}
    assert {"foot", "meter"} <= units, "a unit that needs converting"
    assert any(s.status == "unavailable" for s in claimset.sources), "a dead page"
