"""The ``factcheck`` command: parse options, call the pipeline, print."""

from __future__ import annotations

import collections
import datetime
import functools
import gc
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator

import click

from factcheck import pipeline
from factcheck.model import DEFAULT_CACHE_DIR, EXPORT_FORMATS, Attribution, FactcheckError, Figure, power_of_ten_text


def _domain_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's errors into one-line CLI errors, never tracebacks."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except FactcheckError as err:
            raise click.ClickException(str(err)) from None
        except OSError as err:
            raise click.ClickException(f"{err.filename or ''}: {err.strerror}".lstrip(": ")) from None

    return wrapper


def _load_toolkit(rule_paths: tuple[Path, ...] = ()) -> pipeline.Toolkit:
    """The rules, loaded for the rest of the process."""
    # They stay until the process ends: frozen, they are no longer walked at
    # each of the garbage collector's full passes, 3% of an `extract` run;
    # and the collector is paused while they are read, as its passes over
    # the twenty thousand objects then made would find nothing either.
    gc.disable()
    try:
        return pipeline.load_toolkit(rule_paths)
    finally:
        gc.freeze()
        gc.enable()


def _claims_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--claims",
        "claims_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=Path("claims.yaml"),
        show_default=True,
        help="The claims file: scan updates it, the other commands read it.",
    )(command)


def _reports_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--reports",
        "reports_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("reports"),
        show_default=True,
        help="Folder for the HTML reports.",
    )(command)


def _rules_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--rules",
        "rule_paths",
        multiple=True,
        type=click.Path(exists=True, path_type=Path),
        help="An extra rule file or folder of *.yaml rule files (repeatable).",
    )(command)


def _jobs_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=0),
        default=1,
        show_default=True,
        help="Processes working at once (reading files, finding figures); 0 for one per processor. The output is the same.",
    )(command)


def _latent_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--latent",
        is_flag=True,
        help="Also keep latent figures: bare numbers with no unit, measure or qualifier.",
    )(command)


@click.group()
@click.version_option(package_name="factcheck-figures")
def cli() -> None:
    """Find the quantitative claims in a story's articles, who makes them,
    and which figures the sources share or dispute."""


def _quiet_page_extractor() -> None:
    # The page extractor logs every page it finds little text in; the scan
    # already warns about those pages once, by name.
    import logging

    for name in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _fetch_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--cache",
            "cache_dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help=f"Folder for fetched pages. Default: {DEFAULT_CACHE_DIR}/ next to the claims file.",
        ),
        click.option("--refetch", is_flag=True, help="Fetch URLs again even when they are in the cache."),
        click.option(
            "--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True, help="Seconds to wait for a site."
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--urls",
    "url_lists",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A text file of links, one URL a line (repeatable).",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="FIELD=NAME",
    help="The column of an export (.jsonl, .csv) holding FIELD: id, url, title, published, outlet or text (repeatable).",
)
@_fetch_options
@_claims_option
@_reports_option
@_rules_option
@_latent_option
@_jobs_option
@_domain_errors
def scan(
    paths: tuple[str, ...],
    url_lists: tuple[Path, ...],
    columns: tuple[str, ...],
    cache_dir: Path | None,
    refetch: bool,
    timeout: float,
    claims_path: Path,
    reports_dir: Path,
    rule_paths: tuple[Path, ...],
    latent: bool,
    jobs: int,
) -> None:
    """Scan articles into claims.yaml and reports/: text and Markdown files,
    saved web pages (.html, .htm), exports (.jsonl, .csv), folders
    (recursive) and URLs.

    Reviews and notes already in the claims file are kept.

    Example:

        factcheck scan examples/ --claims claims.yaml --reports reports/

        factcheck scan saved-pages/ https://example.com/news/talks --urls links.txt

        factcheck scan dump.jsonl --column text=body --column id=story_id
    """
    if not paths and not url_lists:
        raise click.UsageError("give at least one file, folder or URL, or --urls FILE")
    from factcheck.ingest import ExportColumns, FetchOptions, InputOptions

    _quiet_page_extractor()
    fetch = FetchOptions(cache_dir=cache_dir, timeout=timeout, refetch=refetch)
    options = InputOptions(url_lists=url_lists, columns=ExportColumns.parse(columns), fetch=fetch)
    toolkit = _load_toolkit(rule_paths)

    def progress(files: Any) -> Any:
        files = list(files)
        # A bar only helps a person watching a long scan, never a pipe or log.
        if len(files) < 5 or not sys.stderr.isatty():
            return files
        return _ProgressIterable(files)

    result = pipeline.scan(
        paths,
        claims_path,
        reports_dir,
        toolkit=toolkit,
        latent=latent,
        progress=progress,
        options=options,
        jobs=jobs,
    )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(result.summary.line())
    click.echo(f"claims: {claims_path}  report: {reports_dir / 'index.html'}")


@cli.command()
@click.argument("target", metavar="PATH_OR_URL")
@click.option("--meta", is_flag=True, help="Print the metadata first: title, outlet, author, date, addresses, status.")
@_fetch_options
@_domain_errors
def text(target: str, meta: bool, cache_dir: Path | None, refetch: bool, timeout: float) -> None:
    """Print the main text factcheck reads from a file, saved page or URL:
    exactly what a scan looks for figures in.

    Example:

        factcheck text saved-page.html --meta

        factcheck text https://example.com/news/talks-stall
    """
    from factcheck.ingest import FetchOptions, InputOptions

    _quiet_page_extractor()
    fetch = FetchOptions(cache_dir=cache_dir or Path(DEFAULT_CACHE_DIR), timeout=timeout, refetch=refetch)
    toolkit = _load_toolkit()
    documents = pipeline.read_documents([target], toolkit, options=InputOptions(fetch=fetch))
    for number, document in enumerate(documents):
        for warning in document.warnings:
            click.echo(f"warning: {warning}", err=True)
        if number:
            click.echo()
        if meta or len(documents) > 1:
            click.echo(_meta_lines(document))
        click.echo(pipeline.body_text(document))


def _meta_lines(document: Any) -> str:
    fields = [
        ("id", document.id),
        ("path", document.path),
        ("url", document.url),
        ("canonical_url", document.canonical_url),
        ("redirects", " -> ".join(document.redirects) or None),
        ("record", document.record),
        ("title", document.title),
        ("outlet", document.outlet),
        ("author", document.author),
        ("published", document.published),
        ("status", document.status),
        ("reason", document.reason),
    ]
    lines = [f"{name}: {value}" for name, value in fields if value is not None]
    return "\n".join(lines) + "\n---"


class _ProgressIterable:
    """A progress bar on stderr that yields the files it is given."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files

    def __iter__(self) -> Any:
        with click.progressbar(self.files, label="Reading", file=sys.stderr) as bar:
            yield from bar


@cli.command()
@_claims_option
@_reports_option
@_rules_option
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Folder of the pages the scan fetched (nothing is fetched). Default: {DEFAULT_CACHE_DIR}/ next to the claims file.",
)
@_domain_errors
def report(claims_path: Path, reports_dir: Path, rule_paths: tuple[Path, ...], cache_dir: Path | None) -> None:
    """Render the HTML reports again from claims.yaml, without scanning.

    Run it after editing reviews or notes in the claims file. Article text
    is read again from the files, export files and cached pages the scan
    read.

    Example:

        factcheck report --claims claims.yaml --reports reports/
    """
    _quiet_page_extractor()
    toolkit = _load_toolkit(rule_paths)
    result = pipeline.rerender(claims_path, reports_dir, toolkit=toolkit, cache_dir=cache_dir)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(result.summary.line())
    click.echo(f"report: {reports_dir / 'index.html'}")


@cli.command()
@click.option(
    "--format", "output_format", type=click.Choice(EXPORT_FORMATS), default="json", show_default=True, help="Output format."
)
@click.option(
    "--organisation",
    envvar="FACTCHECK_ORGANISATION",
    help="claimreview: the fact-checking organisation that publishes the reviews (or set FACTCHECK_ORGANISATION).",
)
@click.option(
    "--date",
    "review_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="claimreview: the date the reviews are published, YYYY-MM-DD. Default: today.",
)
@click.option("--review-url", help="claimreview: the address of the published fact-check.")
@_claims_option
@_rules_option
@_domain_errors
def export(
    output_format: str,
    organisation: str | None,
    review_date: Any,
    review_url: str | None,
    claims_path: Path,
    rule_paths: tuple[Path, ...],
) -> None:
    """Print the claims file in another format on stdout.

    json: the sources, claims and decisions under the keys of claims.yaml,
    and each figure group with its status (shared, conflict, update or
    single), measure, unit, claim ids, speakers, outlets, number of
    independent sources and the explanation shown in the report.
    csv: one row per claim, for spreadsheets. claimreview: schema.org
    ClaimReview JSON-LD for every claim a person reviewed. graphml, gexf:
    the graph of sources, speakers, claims and figures, for Gephi.

    Example:

        factcheck export --format json --claims claims.yaml > story.json

        factcheck export --format csv > claims.csv

        factcheck export --format claimreview --organisation "Harbour Checks" > reviews.jsonld
    """
    toolkit = _load_toolkit(rule_paths)
    date = (review_date or datetime.date.today()).strftime("%Y-%m-%d")
    text = pipeline.export_as(
        claims_path, output_format, toolkit=toolkit, organisation=organisation, date=date, review_url=review_url
    )
    click.echo(text, nl=False)


@cli.command()
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--jsonl", is_flag=True, help='Read {"id", "text"} lines; write {"id", "claims"} lines.')
@_rules_option
@_latent_option
@_jobs_option
@_domain_errors
def extract(source: Any, jsonl: bool, rule_paths: tuple[Path, ...], latent: bool, jobs: int) -> None:
    """Print the figures found in plain text (a file, or - for stdin).

    Example:

        echo "The war has killed more than 290,000." | factcheck extract -

        factcheck extract --jsonl sentences.jsonl > figures.jsonl

        factcheck extract --jsonl --jobs 0 archive.jsonl > figures.jsonl
    """
    toolkit = _load_toolkit(rule_paths)
    if not jsonl:
        found = pipeline.find_figures(pipeline.text_document(source.read()), toolkit, latent=latent)
        click.echo(_table(found))
        return
    keys: collections.deque[Any] = collections.deque()

    def documents() -> Iterator[Any]:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                key, text = record["id"], record["text"]
                if not isinstance(text, str):
                    raise TypeError
            except (ValueError, KeyError, TypeError):
                message = f'{source.name}:{number}: expected a JSON object with "id" and "text"'
                raise click.ClickException(message) from None
            keys.append(key)
            yield pipeline.text_document(text)

    # Written through the stream's buffer: click.echo would flush, a system
    # call, after every line of an archive.
    out = sys.stdout
    encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps would make one for each line
    for found in pipeline.extract_each(documents(), toolkit, latent=latent, jobs=jobs):
        record = {"id": keys.popleft(), "claims": [_json_figure(f, a) for f, a in found]}
        out.write(encode(record) + "\n")
    out.flush()


def _span(span: Any) -> list[int] | None:
    return [span.start, span.end] if span is not None else None


def _json_figure(figure: Figure, attribution: Attribution) -> dict[str, Any]:
    return {
        "start": figure.span.start,
        "end": figure.span.end,
        "text": figure.text,
        "kind": figure.kind,
        "value": figure.value,
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "low": figure.low,
        "high": figure.high,
        "measure": figure.measure,
        "said_by": attribution.said_by,
        "said_by_span": _span(attribution.said_by_span),
        "quote_span": _span(attribution.quote_span),
        "cue": attribution.cue,
        "via": attribution.via,
        "rule": figure.rule,
        "latent": figure.latent,
        "noun": figure.noun,
    }


def _table(found: list[tuple[Figure, Attribution]]) -> str:
    headers = ("text", "kind", "value", "unit", "interval", "measure", "said by", "rule")
    rows = [
        (
            f.text,
            f.kind,
            _show(f.value),
            _show(f.unit),
            f"[{_show(f.low, '')}, {_show(f.high, '')}]",
            _show(f.measure),
            _show(a.said_by),
            f.rule,
        )
        for f, a in found
    ]
    if not rows:
        return "no figures found"
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [headers, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _show(value: Any, empty: str = "-") -> str:
    if value is None:
        return empty
    shown = power_of_ten_text(value)
    if shown is not None:
        return shown
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")  # 1.1e-05 as 0.000011
    return str(value)


def main() -> None:
    cli()
