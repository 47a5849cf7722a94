"""Tests for `factcheck report` reading sources again: fetched pages from
the cache (never the network, checked with a real server on 127.0.0.1 that
is stopped before the report), export records from their export file, and
the "changed since the scan" warnings."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.ingest import load_debris_rules, reread_source
from factcheck.ingest.fetch import cache_key
from factcheck.model import Source

PAGE = (
    "<html><head><title>Ferry crossings cut | Harbour Weekly</title>"
    '<meta property="og:site_name" content="Harbour Weekly"></head><body><article><h1>Ferry crossings cut</h1>'
    "<p>The island ferry will sail 14 times a week this winter instead of 21, its operator said.</p>"
    "<p>About 2,300 people live on the island, and roughly 400 of them cross for work.</p>"
    "</article></body></html>"
).encode("utf-8")
NO_TEXT = "The text of this document is not available"


class _Harbour(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        status, body = (200, PAGE) if self.path == "/news/ferry" else (404, b"<h1>Page not found</h1>")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


class _Server:
    """A real HTTP server on 127.0.0.1 that a test can stop early."""

    def __init__(self) -> None:
        _Harbour.hits = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Harbour)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join()
            self.running = False


@pytest.fixture()
def harbour() -> Iterator[_Server]:
    server = _Server()
    try:
        yield server
    finally:
        server.stop()


def _scan_then_stop(harbour: _Server, folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Scan the ferry page (and a dead one) in ``folder``, then stop the site."""
    monkeypatch.chdir(folder)
    url = f"{harbour.url}/news/ferry"
    result = CliRunner().invoke(cli, ["scan", url, f"{harbour.url}/gone"])
    assert result.exit_code == 0, result.output
    harbour.stop()
    return url


def _page(doc_id: str) -> str:
    return Path(f"reports/documents/{doc_id}.html").read_text(encoding="utf-8")


def test_report_shows_a_fetched_page_from_the_cache(
    harbour: _Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _scan_then_stop(harbour, tmp_path, monkeypatch)
    Path("reports").rename("scanned")
    result = CliRunner().invoke(cli, ["report"])
    assert result.exit_code == 0, result.output
    # The site is down: the page text came from the cache, and the dead
    # page (no text, never cached as a page) gives no warning.
    assert result.stderr == ""
    assert _Harbour.hits == {"/news/ferry": 1, "/gone": 1}
    page = _page("ferry")
    assert NO_TEXT not in page
    assert '<section class="article-text"' in page
    assert page == Path("scanned/documents/ferry.html").read_text(encoding="utf-8")


def test_report_warns_when_the_cached_page_changed(
    harbour: _Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _scan_then_stop(harbour, tmp_path, monkeypatch)
    body = Path(".factcheck-cache") / f"{cache_key(url)}.body"
    body.write_bytes(PAGE.replace(b"14 times", b"12 times"))
    result = CliRunner().invoke(cli, ["report"])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"warning: {url}: the cached page changed since the scan; run 'factcheck scan' again\n"
    assert NO_TEXT in _page("ferry")


def test_report_without_the_cache_shows_claims_only(
    harbour: _Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _scan_then_stop(harbour, tmp_path, monkeypatch)
    for cached in Path(".factcheck-cache").iterdir():
        cached.unlink()
    result = CliRunner().invoke(cli, ["report"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"warning: {url}: not in the fetch cache (.factcheck-cache); its page shows claims only\n"
    )
    assert NO_TEXT in _page("ferry")


def test_report_reads_pages_from_the_cache_the_scan_was_given(
    harbour: _Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    scanned = CliRunner().invoke(cli, ["scan", f"{harbour.url}/news/ferry", "--cache", "pages"])
    assert scanned.exit_code == 0, scanned.output
    harbour.stop()
    assert not Path(".factcheck-cache").exists()
    Path("reports").rename("scanned")
    # The scan's own report already showed the page from its cache folder.
    assert NO_TEXT not in Path("scanned/documents/ferry.html").read_text(encoding="utf-8")

    default = CliRunner().invoke(cli, ["report"])
    assert "not in the fetch cache" in default.stderr
    assert NO_TEXT in _page("ferry")

    given = CliRunner().invoke(cli, ["report", "--cache", "pages"])
    assert given.exit_code == 0, given.output
    assert given.stderr == ""
    assert _page("ferry") == Path("scanned/documents/ferry.html").read_text(encoding="utf-8")


RECORDS = [
    {"story_id": "ferry-cuts", "headline": "Ferry crossings cut", "body": "The island ferry will sail 14 times a week this winter instead of 21.", "site": "Harbour Weekly"},
    {"story_id": "bridge", "headline": "Bridge repairs", "body": "<p>Repairs to the old bridge will cost 180,000 pounds, the council said.</p><p>Work starts in May.</p>"},
]


def _scan_export(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(folder)
    dump = Path("dump.jsonl")
    dump.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    columns = ["--column", "id=story_id", "--column", "text=body", "--column", "title=headline", "--column", "outlet=site"]
    result = CliRunner().invoke(cli, ["scan", str(dump), *columns])
    assert result.exit_code == 0, result.output
    return dump


def test_report_reads_export_records_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _scan_export(tmp_path, monkeypatch)
    Path("reports").rename("scanned")
    result = CliRunner().invoke(cli, ["report"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    for doc_id in ("ferry-cuts", "bridge"):
        page = _page(doc_id)
        assert NO_TEXT not in page
        assert page == Path(f"scanned/documents/{doc_id}.html").read_text(encoding="utf-8")


def test_report_warns_about_a_changed_or_missing_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dump = _scan_export(tmp_path, monkeypatch)
    changed = dict(RECORDS[0], body=RECORDS[0]["body"].replace("14 times", "12 times"))
    dump.write_text(json.dumps(changed) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["report"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "warning: dump.jsonl: no record 'bridge'; its page shows claims only\n"
        "warning: dump.jsonl: record 'ferry-cuts' changed since the scan; run 'factcheck scan' again\n"
    )
    assert NO_TEXT in _page("ferry-cuts")
    assert NO_TEXT in _page("bridge")


def _source(**fields: object) -> Source:
    base = {"id": "x", "path": None, "url": None, "title": None, "outlet": None, "published": None, "sha256": "", "status": "ok"}
    return Source(**{**base, **fields})  # type: ignore[arg-type]


def test_a_record_is_found_by_its_line_and_keeps_the_recorded_metadata(tmp_path: Path) -> None:
    dump = tmp_path / "dump.csv"
    dump.write_text("headline,copy\nFerry crossings cut,The ferry will sail 14 times a week.\n", encoding="utf-8")
    digest = hashlib.sha256(b"The ferry will sail 14 times a week.").hexdigest()
    source = _source(path=dump.as_posix(), record="line 2", sha256=digest, title="Ferry crossings cut", outlet="Harbour Weekly")
    document, warning = reread_source(source, rules=load_debris_rules(), base=tmp_path, cache_dir=None)
    assert warning is None and document is not None
    assert (document.text, document.title, document.outlet, document.record) == (
        "The ferry will sail 14 times a week.",
        "Ferry crossings cut",
        "Harbour Weekly",
        "line 2",
    )


def test_a_source_with_no_text_is_skipped_quietly(tmp_path: Path) -> None:
    gone = _source(url="http://127.0.0.1:1/gone", status="unavailable")
    assert reread_source(gone, rules=load_debris_rules(), base=tmp_path, cache_dir=tmp_path) == (None, None)
