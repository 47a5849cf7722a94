"""End to end on the page this project started from, and on the examples."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from factcheck import pipeline, store
from factcheck.ingest.errors import IngestError
from factcheck.model import Claim

from conftest import SEED, need_seed


@pytest.fixture(scope="module")
def seed_scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pipeline.ScanResult]:
    need_seed()
    folder = tmp_path_factory.mktemp("seed")
    shutil.copy(SEED, folder / SEED.name)
    result = pipeline.scan(
        [folder / SEED.name], folder / "claims.yaml", folder / "reports", toolkit=pipeline.load_toolkit()
    )
    return folder, result


def only(claims: tuple[Claim, ...], text: str, inside: str | None = None) -> Claim:
    found = [c for c in claims if c.text == text and (inside is None or inside in c.sentence)]
    assert len(found) == 1, [(c.text, c.sentence[:40]) for c in claims if c.text == text]
    return found[0]


def test_seed_counts_fractions_and_ordinals(seed_scan: tuple[Path, pipeline.ScanResult]) -> None:
    claims = seed_scan[1].claimset.claims
    killed = only(claims, "more than 290,000")
    assert (killed.kind, killed.value, killed.low, killed.high, killed.unit) == ("count", 290000, 290000, None, None)
    assert (killed.qualifier, killed.measure, killed.said_by) == ("more than", "killed", None)
    half = only(claims, "more than half")
    assert (half.kind, half.value, half.low, half.high, half.measure) == ("fraction", 0.5, 0.5, None, "population")
    third = only(claims, "third")
    assert (third.kind, third.value, third.measure) == ("ordinal", 3, "meeting")
    children = only(claims, "three")
    assert (children.kind, children.value, children.measure) == ("count", 3, "children")


def test_seed_durations_and_dates(seed_scan: tuple[Path, pipeline.ScanResult]) -> None:
    claims = seed_scan[1].claimset.claims
    war = only(claims, "five-year")
    assert (war.kind, war.value, war.unit, war.measure) == ("duration", 5, "year", "war")
    weeks = only(claims, "two weeks", inside="third meeting")
    assert (weeks.kind, weeks.value, weeks.unit) == ("duration", 2, "week")
    days = only(claims, "three days")
    assert (days.kind, days.value, days.unit) == ("duration", 3, "day")
    meeting = only(claims, "August 26, 2016")
    assert (meeting.kind, meeting.value) == ("date", "2016-08-26")
    since = only(claims, "since July")
    assert (since.kind, since.value, since.low, since.high) == ("date", "--07", "--07", None)


def test_seed_speakers(seed_scan: tuple[Path, pipeline.ScanResult]) -> None:
    folder, result = seed_scan
    text = (folder / SEED.name).read_text(encoding="utf-8")
    offensive = only(result.claimset.claims, "month-long")
    assert (offensive.kind, offensive.value, offensive.unit) == ("duration", 1, "month")
    assert offensive.said_by == "the Syrian Observatory for Human Rights"
    assert offensive.said_by_span.slice(text) == "the Syrian Observatory for Human Rights"
    starving = only(result.claimset.claims, "two weeks", inside="starving")
    assert (starving.value, starving.unit, starving.said_by, starving.cue) == (2, "week", "Abu Omar", "said")
    assert starving.said_by_span.slice(text) == "he"
    assert starving.quote_span.slice(text) == "There's a risk that we'll be starving in two weeks,"


def test_seed_skips_head_idioms_and_dead_tail(seed_scan: tuple[Path, pipeline.ScanResult]) -> None:
    folder, result = seed_scan
    text = (folder / SEED.name).read_text(encoding="utf-8")
    tail = text.index("This page is not available")
    head = text.index("US-Russia deal on Syria still out of reach") + len("US-Russia deal on Syria still out of reach")
    for claim in result.claimset.claims:
        assert head < claim.span.start and claim.span.end < tail, claim.text
        assert "square one" not in claim.text and "one" != claim.text
    (source,) = result.claimset.sources
    assert (source.status, source.title) == ("ok", "US-Russia deal on Syria still out of reach")
    assert result.warnings == ()


def test_seed_claim_spans_point_into_the_file(seed_scan: tuple[Path, pipeline.ScanResult]) -> None:
    folder, result = seed_scan
    text = (folder / SEED.name).read_text(encoding="utf-8")
    for claim in result.claimset.claims:
        assert text[claim.span.start : claim.span.end] == claim.text


def test_rescan_is_byte_identical_and_keeps_reviews(tmp_path: Path) -> None:
    need_seed()
    shutil.copy(SEED, tmp_path / SEED.name)
    toolkit = pipeline.load_toolkit()
    claims_path, reports = tmp_path / "claims.yaml", tmp_path / "reports"
    pipeline.scan([tmp_path / SEED.name], claims_path, reports, toolkit=toolkit)
    first = claims_path.read_bytes()
    first_page = (reports / "index.html").read_bytes()
    pipeline.scan([tmp_path / SEED.name], claims_path, reports, toolkit=toolkit)
    assert claims_path.read_bytes() == first
    assert (reports / "index.html").read_bytes() == first_page

    data = yaml.safe_load(first)
    target = next(c for c in data["claims"] if c["text"] == "more than 290,000")
    edited = first.decode().replace(
        f"id: {target['id']}\n", f"id: {target['id']}\n    checked_with: UN OCHA\n", 1
    )
    marker = f"id: {target['id']}"
    block_start = edited.index(marker)
    review_at = edited.index("status: unreviewed", block_start)
    edited = edited[:review_at] + "status: confirmed" + edited[review_at + len("status: unreviewed") :]
    note_at = edited.index("note: ''", block_start)
    edited = edited[:note_at] + 'note: "UN figure, Aug 2016"' + edited[note_at + len("note: ''") :]
    claims_path.write_text(edited, encoding="utf-8")

    pipeline.scan([tmp_path / SEED.name], claims_path, reports, toolkit=toolkit)
    kept = {c.id: c for c in store.load_claims(claims_path).claims}[target["id"]]
    assert (kept.review.status, kept.review.note) == ("confirmed", "UN figure, Aug 2016")
    assert kept.extra == {"checked_with": "UN OCHA"}


def test_scan_with_several_jobs_writes_the_same_claims(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for n in range(1, 7):
        (articles / f"a{n}.txt").write_text(
            f"Report {n}\n\nThe flood killed {100 + n} people, officials said. Some {n},000 were displaced.\n",
            encoding="utf-8",
        )
    toolkit = pipeline.load_toolkit()
    serial, parallel = tmp_path / "serial.yaml", tmp_path / "parallel.yaml"
    pipeline.scan([articles], serial, None, toolkit=toolkit)
    result = pipeline.scan([articles], parallel, None, toolkit=toolkit, jobs=2)
    assert parallel.read_bytes() == serial.read_bytes()
    assert [c.value for c in result.claimset.claims if c.measure == "killed"] == [101, 102, 103, 104, 105, 106]


def test_scan_reads_saved_pages_in_several_processes_the_same(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for n in range(1, 6):
        (pages / f"p{n}.html").write_text(
            f"<html><head><title>Flood report {n}</title></head><body><article><h1>Flood report {n}</h1>"
            f"<p>The flood killed {200 + n} people, the agency said on Monday.</p>"
            f"<p>Some {n},500 residents were moved to shelters outside the town.</p></article></body></html>",
            encoding="utf-8",
        )
    (pages / "notes.txt").write_text("Rescuers counted 14 boats.\n", encoding="utf-8")
    toolkit = pipeline.load_toolkit()
    serial, parallel = tmp_path / "serial.yaml", tmp_path / "parallel.yaml"
    first = pipeline.scan([pages], serial, tmp_path / "r1", toolkit=toolkit)
    second = pipeline.scan([pages], parallel, tmp_path / "r2", toolkit=toolkit, jobs=3)
    assert parallel.read_bytes() == serial.read_bytes()
    assert [d.id for d in second.documents] == [d.id for d in first.documents] == ["notes", "p1", "p2", "p3", "p4", "p5"]
    assert [d.title for d in second.documents][1:3] == ["Flood report 1", "Flood report 2"]
    assert (tmp_path / "r2" / "documents" / "p3.html").read_bytes() == (tmp_path / "r1" / "documents" / "p3.html").read_bytes()


# Run in a fresh interpreter: whether a module is loaded is the point.
_PAGE_READER_LOADED = """
import sys
from factcheck import ingest, pipeline
toolkit = pipeline.load_toolkit()
def read_files(files):
    print("factcheck.ingest.html" in sys.modules, flush=True)
    return iter([ingest.read_document(path, rules=toolkit.debris, doc_id=ident) for path, ident in files])
planned = ingest.plan_inputs(sys.argv[1:], ())
ingest.read_inputs(planned, rules=toolkit.debris, options=ingest.InputOptions(), read_files=read_files)
"""


@pytest.mark.parametrize(("name", "loaded"), [("page.html", "True"), ("note.txt", "False")])
def test_page_reader_is_loaded_before_the_workers_fork(tmp_path: Path, name: str, loaded: str) -> None:
    """Workers forked to read saved pages share the page reader (half a
    second to import) instead of each importing it; text alone does not
    load it."""
    (tmp_path / name).write_text("<p>The flood killed 201 people.</p>", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", _PAGE_READER_LOADED, str(tmp_path / name)], capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == loaded, run.stderr


def test_vanished_claim_is_marked_not_deleted(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The flood killed 112 people. Some 4,000 were displaced.\n", encoding="utf-8")
    toolkit = pipeline.load_toolkit()
    claims_path = tmp_path / "claims.yaml"
    pipeline.scan([article], claims_path, None, toolkit=toolkit)
    article.write_text("The flood killed 112 people.\n", encoding="utf-8")
    result = pipeline.scan([article], claims_path, None, toolkit=toolkit)
    assert [(c.text, c.missing) for c in result.claimset.claims] == [("112", False), ("Some 4,000", True)]


def test_dead_page_gives_no_claims_and_a_warning(tmp_path: Path) -> None:
    page = tmp_path / "gone.txt"
    page.write_text("Skip to main content\n\nPage not found\n\nThe page you requested could not be found.\n")
    result = pipeline.scan([page], tmp_path / "claims.yaml", None, toolkit=pipeline.load_toolkit())
    assert result.claimset.claims == ()
    assert [(s.id, s.status) for s in result.claimset.sources] == [("gone", "unavailable")]
    assert result.warnings == (f"{page}: page unavailable (Page not found)",)
    assert result.summary.line() == "1 document, 0 claims, 0 shared figures, 0 conflicts, 0 updates, 1 warning"


def test_claim_ids_do_not_depend_on_latent(toolkit: pipeline.Toolkit) -> None:
    """A latent '2' before a real '2' in one sentence must not shift its id."""
    text = "Room 2 had 2 patients, officials said."
    plain = pipeline.extract_text(text, toolkit)
    with_latent = pipeline.extract_text(text, toolkit, latent=True)
    assert [(c.text, c.span.start, c.latent) for c in plain] == [("2", 11, False)]
    assert [(c.text, c.span.start, c.latent) for c in with_latent] == [("2", 5, True), ("2", 11, False)]
    assert with_latent[1].id == plain[0].id
    assert with_latent[0].id != plain[0].id



@pytest.mark.parametrize("latent", [False, True])
def test_find_figures_are_the_claims_without_ids(toolkit: pipeline.Toolkit, latent: bool) -> None:
    """``factcheck extract`` prints find_figures: it must say what a scan's claims say."""
    text = (
        "Room 2 had 2 patients, officials said. According to the ministry, the war has killed "
        'more than 290,000 people. "Prices rose 3.4% in May," she said, citing Eurostat.'
    )
    document = pipeline.text_document(text)
    found = pipeline.find_figures(document, toolkit, latent=latent)
    claims = pipeline.extract_claims(document, toolkit, latent=latent)
    shown = [(f.span, f.text, f.value, f.unit, f.low, f.high, f.measure, f.latent, a.said_by, a.cue, a.via) for f, a in found]
    assert shown == [(c.span, c.text, c.value, c.unit, c.low, c.high, c.measure, c.latent, c.said_by, c.cue, c.via) for c in claims]
    expected = [
        ("2", False, "officials", None),
        ("more than 290,000", False, "the ministry", None),
        ("3.4%", False, "she", "Eurostat"),
        ("May", False, "she", "Eurostat"),
    ]
    if latent:
        expected.insert(0, ("2", True, "officials", None))
    assert [(f.text, f.latent, a.said_by, a.via) for f, a in found] == expected

def _which_process(toolkit: pipeline.Toolkit, latent: bool, item: int) -> tuple[int, int]:
    return item * 10, os.getpid()


def test_workers_share_the_items_and_keep_their_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline.Workers, "BATCH", 4)  # several batches, the last one short
    toolkit = pipeline.load_toolkit()
    with pipeline.Workers(toolkit, jobs=3) as workers:
        results = list(workers.map(_which_process, range(10)))
    assert [value for value, _ in results] == [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]
    # Every third item of a batch is done here, the others by two forked copies.
    here = os.getpid()
    assert [pid == here for _, pid in results[:4]] == [True, False, False, True]
    assert len({pid for _, pid in results}) > 3  # new copies for each batch


def _fails_on_seven(toolkit: pipeline.Toolkit, latent: bool, item: int) -> int:
    if item == 7:
        raise IngestError(f"item{item}.txt: cannot be read")
    return item


def _divides(toolkit: pipeline.Toolkit, latent: bool, item: int) -> float:
    return 1 / (item - 3)


def _fails_here(toolkit: pipeline.Toolkit, latent: bool, item: int) -> int:
    if os.getpid() == _PARENT:
        raise IngestError("failed in the parent")
    time.sleep(30)  # a copy still at work when the parent fails
    return item


def _dies(toolkit: pipeline.Toolkit, latent: bool, item: int) -> int:
    if os.getpid() != _PARENT:
        os._exit(3)
    return item


def _raises_unpicklable(toolkit: pipeline.Toolkit, latent: bool, item: int) -> int:
    if item == 1:
        raise ValueError(lambda: None)
    return item


_PARENT = os.getpid()


def test_an_error_in_a_worker_is_raised_here_as_it_was() -> None:
    with pipeline.Workers(pipeline.load_toolkit(), jobs=2) as workers:
        with pytest.raises(IngestError, match="item7.txt"):
            list(workers.map(_fails_on_seven, range(10)))
        # Item 3 goes to the forked copy: its traceback comes along as a note.
        with pytest.raises(ZeroDivisionError) as raised:
            list(workers.map(_divides, range(6)))
    assert "in _divides" in raised.value.__notes__[0]


def test_an_error_here_stops_the_other_workers_at_once() -> None:
    start = time.monotonic()
    with pipeline.Workers(pipeline.load_toolkit(), jobs=2) as workers, pytest.raises(IngestError, match="parent"):
        list(workers.map(_fails_here, range(4)))
    assert time.monotonic() - start < 10
    assert _forked_copies() == []  # none left running, none left unreaped


def _forked_copies() -> list[int]:
    """This process's children that are copies of it (same command line)."""
    mine = Path("/proc/self/cmdline").read_bytes()
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if parent == os.getpid() and (stat.parent / "cmdline").read_bytes() in (mine, b""):
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue  # a process that ended while being looked at
    return found


def test_a_worker_that_dies_or_fails_oddly_gives_a_clear_error() -> None:
    with pipeline.Workers(pipeline.load_toolkit(), jobs=2) as workers:
        with pytest.raises(RuntimeError, match=r"a worker process ended abnormally \(exit code 3\)"):
            list(workers.map(_dies, range(4)))
        with pytest.raises(RuntimeError, match="in a worker process: ValueError"):
            list(workers.map(_raises_unpicklable, range(4)))
