"""Tests for URLs: fetching from a real HTTP server on 127.0.0.1, redirects,
errors, limits, the cache, files of links, and the CLI around them."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.ingest import FetchOptions, IngestError, load_debris_rules
from factcheck.ingest.fetch import fetch
from factcheck.ingest.web import make_url_id, read_url, read_url_list

ARTICLE = (
    "<html><head><title>Talks stall | Example News</title>"
    '<meta property="og:site_name" content="Example News"></head><body><article><h1>Talks stall</h1>'
    "<p>The war has killed more than 290,000 people, monitors said on Friday in Geneva.</p>"
    "<p>Talks between the two ministers went on for more than nine hours without a deal.</p>"
    "</article></body></html>"
).encode("utf-8")
GONE = b"<html><body><h1>Page not found</h1></body></html>"


class _Site(BaseHTTPRequestHandler):
    """A tiny news site: each path shows one way a fetch can go."""

    hits: dict[str, int] = {}

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        if self.path == "/news/talks-stall":
            self._send(200, ARTICLE, "text/html; charset=utf-8")
        elif self.path == "/old/talks":
            self.send_response(301)
            self.send_header("Location", "/moved/talks")
            self.end_headers()
        elif self.path == "/moved/talks":
            self.send_response(302)
            self.send_header("Location", "/news/talks-stall")
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/gone":
            self._send(404, GONE, "text/html")
        elif self.path == "/broken":
            self._send(500, b"oops", "text/plain")
        elif self.path == "/report.pdf":
            self._send(200, b"%PDF-1.4 binary", "application/pdf")
        elif self.path == "/huge":
            self._send(200, b"<p>" + b"x" * 2048 + b"</p>", "text/html")
        elif self.path == "/slow":
            time.sleep(1.0)
            self._send(200, ARTICLE, "text/html")
        elif self.path == "/notes.txt":
            self._send(200, b"Officials said more than 290,000 people were killed.\n", "text/plain; charset=utf-8")
        else:
            self._send(404, b"", "text/html")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture()
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    _Site.hits = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def options(tmp_path: Path, **kw: object) -> FetchOptions:
    return FetchOptions(cache_dir=tmp_path / "cache", timeout=kw.pop("timeout", 5.0), **kw)  # type: ignore[arg-type]


def test_page_is_fetched_and_read(site: str, tmp_path: Path) -> None:
    url = f"{site}/news/talks-stall"
    doc = read_url(url, rules=load_debris_rules(), ident="talks-stall", options=options(tmp_path))
    assert (doc.status, doc.url, doc.path, doc.outlet) == ("ok", url, None, "Example News")
    assert doc.text.startswith("The war has killed more than 290,000 people")


def test_polite_user_agent_is_sent(site: str, tmp_path: Path) -> None:
    seen: list[str] = []
    original = _Site.do_GET

    def remember(handler: _Site) -> None:
        seen.append(handler.headers["User-Agent"])
        original(handler)

    _Site.do_GET = remember  # type: ignore[method-assign]
    try:
        fetch(f"{site}/news/talks-stall", options(tmp_path))
    finally:
        _Site.do_GET = original  # type: ignore[method-assign]
    assert seen[0].startswith("factcheck-figures/")


def test_redirects_are_followed_and_recorded(site: str, tmp_path: Path) -> None:
    fetched = fetch(f"{site}/old/talks", options(tmp_path))
    assert fetched.redirects == (f"{site}/moved/talks", f"{site}/news/talks-stall")
    assert (fetched.final_url, fetched.status, fetched.problem) == (f"{site}/news/talks-stall", 200, None)


def test_endless_redirects_stop(site: str, tmp_path: Path) -> None:
    fetched = fetch(f"{site}/loop", options(tmp_path, max_redirects=3))
    assert fetched.problem == "HTTP 302 more than 3 redirects"
    assert len(fetched.redirects) == 3


@pytest.mark.parametrize(
    ("path", "status", "reason"),
    [
        ("/gone", "unavailable", "page gone (HTTP 404 Not Found)"),
        ("/broken", "error", "HTTP 500 Internal Server Error"),
        ("/report.pdf", "error", "not a web page (content type application/pdf)"),
        ("/huge", "error", "larger than the 0 MB input limit"),
    ],
    ids=["404", "500", "pdf", "too large"],
)
def test_bad_urls_get_a_status_and_a_warning(site: str, tmp_path: Path, path: str, status: str, reason: str) -> None:
    url = f"{site}{path}"
    doc = read_url(url, rules=load_debris_rules(), ident="x", options=options(tmp_path, max_bytes=1024))
    assert (doc.status, doc.reason, doc.body) == (status, reason, ())
    assert doc.warnings == (f"{url}: {reason}",)


def test_time_out_is_a_warning(site: str, tmp_path: Path) -> None:
    doc = read_url(f"{site}/slow", rules=load_debris_rules(), ident="x", options=options(tmp_path, timeout=0.2))
    assert (doc.status, doc.reason) == ("error", "no answer within 0.2 s")


def test_unreachable_host_is_a_warning(tmp_path: Path) -> None:
    # Port 1 on the loopback address: nothing listens there.
    doc = read_url("http://127.0.0.1:1/x", rules=load_debris_rules(), ident="x", options=options(tmp_path))
    assert doc.status == "error"
    assert doc.reason.startswith("cannot connect: ")


def test_plain_text_url_is_read_as_text(site: str, tmp_path: Path) -> None:
    doc = read_url(f"{site}/notes.txt", rules=load_debris_rules(), ident="notes", options=options(tmp_path))
    assert doc.text == "Officials said more than 290,000 people were killed.\n"


def test_cache_spares_a_second_fetch(site: str, tmp_path: Path) -> None:
    first = fetch(f"{site}/old/talks", options(tmp_path))
    second = fetch(f"{site}/old/talks", options(tmp_path))
    assert (first.from_cache, second.from_cache) == (False, True)
    assert (second.body, second.redirects) == (first.body, first.redirects)
    assert _Site.hits["/old/talks"] == 1
    fetch(f"{site}/old/talks", options(tmp_path, refetch=True))
    assert _Site.hits["/old/talks"] == 2


def test_failed_connection_is_not_cached(tmp_path: Path) -> None:
    fetch("http://127.0.0.1:1/x", options(tmp_path))
    assert not (tmp_path / "cache").exists()


def test_url_list_skips_comments_and_names_a_bad_line(tmp_path: Path) -> None:
    links = tmp_path / "links.txt"
    links.write_text("# the story\nhttps://example.org/a\n\nhttps://example.org/b\nnot a link\n", encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        read_url_list(links)
    assert str(caught.value) == f"{links}:5: not an http(s) address: not a link"
    links.write_text("https://example.org/a\n  https://example.org/b  \n", encoding="utf-8")
    assert read_url_list(links) == ["https://example.org/a", "https://example.org/b"]


def test_url_ids_are_slugs_made_unique() -> None:
    taken: set[str] = set()
    ids = [
        make_url_id(url, taken)
        for url in (
            "https://example.org/2016/09/09/talks-stall.html",
            "https://example.org/world/talks-stall/",
            "https://example.org/",
        )
    ]
    assert ids == ["talks-stall", "talks-stall-2", "example-org"]


def test_scan_reads_urls_and_records_them(site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    links = tmp_path / "links.txt"
    links.write_text(f"{site}/old/talks\n{site}/gone\n", encoding="utf-8")
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["scan", "--urls", str(links), "--reports", "out", f"{site}/notes.txt"])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"warning: {site}/gone: page gone (HTTP 404 Not Found)\n"
    assert result.stdout.splitlines()[0].endswith(", 1 warning")
    sources = {s["id"]: s for s in yaml.safe_load(Path("claims.yaml").read_text(encoding="utf-8"))["sources"]}
    assert sources["talks"]["url"] == f"{site}/old/talks"
    assert sources["talks"]["redirects"] == [f"{site}/moved/talks", f"{site}/news/talks-stall"]
    assert sources["talks"]["outlet"] == "Example News"
    assert (sources["gone"]["status"], sources["gone"]["reason"]) == ("unavailable", "page gone (HTTP 404 Not Found)")
    assert sources["notes"]["status"] == "ok"
    assert Path(".factcheck-cache").is_dir()
    before = dict(_Site.hits)
    again = runner.invoke(cli, ["scan", "--urls", str(links), "--reports", "out", f"{site}/notes.txt"])
    assert again.exit_code == 0
    # Every answer, the 404 too, comes from the cache: the site is not asked again.
    assert _Site.hits == before


def test_text_prints_the_main_text_of_a_url(site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["text", "--meta", f"{site}/old/talks"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "id: talks\n"
        f"url: {site}/old/talks\n"
        f"redirects: {site}/moved/talks -> {site}/news/talks-stall\n"
        "title: Talks stall\n"
        "outlet: Example News\n"
        "status: ok\n"
        "---\n"
        "The war has killed more than 290,000 people, monitors said on Friday in Geneva.\n\n"
        "Talks between the two ministers went on for more than nine hours without a deal.\n"
    )
