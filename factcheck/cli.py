"""The ``factcheck`` command: parse options, call the pipeline, print."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any, Callable

import click

from factcheck import pipeline
from factcheck.ingest import IngestError
from factcheck.model import Claim
from factcheck.rules import RuleFileError
from factcheck.store import StoreError

_DOMAIN_ERRORS = (StoreError, IngestError, RuleFileError)


def _domain_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's errors into one-line CLI errors, never tracebacks."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except _DOMAIN_ERRORS as err:
            raise click.ClickException(str(err)) from None
        except OSError as err:
            raise click.ClickException(f"{err.filename or ''}: {err.strerror}".lstrip(": ")) from None

    return wrapper


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


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_claims_option
@_reports_option
@_rules_option
@_latent_option
@_domain_errors
def scan(paths: tuple[Path, ...], claims_path: Path, reports_dir: Path, rule_paths: tuple[Path, ...], latent: bool) -> None:
    """Scan articles (files or folders, recursive) into claims.yaml and reports/.

    Reviews and notes already in the claims file are kept.

    Example:

        factcheck scan examples/ --claims claims.yaml --reports reports/
    """
    toolkit = pipeline.load_toolkit(rule_paths)

    def progress(files: Any) -> Any:
        files = list(files)
        # A bar only helps a person watching a long scan, never a pipe or log.
        if len(files) < 5 or not sys.stderr.isatty():
            return files
        return _ProgressIterable(files)

    result = pipeline.scan(paths, claims_path, reports_dir, toolkit=toolkit, latent=latent, progress=progress)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(result.summary.line())
    click.echo(f"claims: {claims_path}  report: {reports_dir / 'index.html'}")


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
@_domain_errors
def report(claims_path: Path, reports_dir: Path, rule_paths: tuple[Path, ...]) -> None:
    """Render the HTML reports again from claims.yaml, without scanning.

    Run it after editing reviews or notes in the claims file.

    Example:

        factcheck report --claims claims.yaml --reports reports/
    """
    toolkit = pipeline.load_toolkit(rule_paths)
    result = pipeline.rerender(claims_path, reports_dir, toolkit=toolkit)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(result.summary.line())
    click.echo(f"report: {reports_dir / 'index.html'}")


@cli.command()
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--jsonl", is_flag=True, help='Read {"id", "text"} lines; write {"id", "claims"} lines.')
@_rules_option
@_latent_option
@_domain_errors
def extract(source: Any, jsonl: bool, rule_paths: tuple[Path, ...], latent: bool) -> None:
    """Print the figures found in plain text (a file, or - for stdin).

    Example:

        echo "The war has killed more than 290,000." | factcheck extract -

        factcheck extract --jsonl sentences.jsonl > figures.jsonl
    """
    toolkit = pipeline.load_toolkit(rule_paths)
    if not jsonl:
        claims = pipeline.extract_text(source.read(), toolkit, latent=latent)
        click.echo(_table(claims))
        return
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            key, text = record["id"], record["text"]
            if not isinstance(text, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise click.ClickException(f'{source.name}:{number}: expected a JSON object with "id" and "text"') from None
        claims = pipeline.extract_text(text, toolkit, latent=latent)
        click.echo(json.dumps({"id": key, "claims": [_json_claim(c) for c in claims]}, ensure_ascii=False))


def _span(span: Any) -> list[int] | None:
    return [span.start, span.end] if span is not None else None


def _json_claim(claim: Claim) -> dict[str, Any]:
    assert claim.span is not None
    return {
        "start": claim.span.start,
        "end": claim.span.end,
        "text": claim.text,
        "kind": claim.kind,
        "value": claim.value,
        "unit": claim.unit,
        "qualifier": claim.qualifier,
        "low": claim.low,
        "high": claim.high,
        "measure": claim.measure,
        "said_by": claim.said_by,
        "said_by_span": _span(claim.said_by_span),
        "quote_span": _span(claim.quote_span),
        "cue": claim.cue,
        "rule": claim.rule,
        "latent": claim.latent,
    }


def _table(claims: list[Claim]) -> str:
    headers = ("text", "kind", "value", "unit", "interval", "measure", "said by", "rule")
    rows = [
        (
            c.text,
            c.kind,
            _show(c.value),
            _show(c.unit),
            f"[{_show(c.low, '')}, {_show(c.high, '')}]",
            _show(c.measure),
            _show(c.said_by),
            c.rule,
        )
        for c in claims
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
    return str(value)


def main() -> None:
    cli()
