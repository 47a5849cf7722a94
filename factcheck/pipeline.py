"""The stages in order: the library entry points behind the CLI.

ingest -> rules -> figures -> attribution -> store -> graph -> report.
Each stage gets what it needs as arguments; shared state (the rules, the
unit registry) is built once here in a ``Toolkit`` and passed down.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import itertools
import os
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NoReturn, Sequence

from factcheck.attribution import attribute
from factcheck.figures import LazyUnitRegistry, Resolver
from factcheck.model import Attribution, Claim, ClaimSet, Document, Figure, FigureGroup, Source, Span, datatype
from factcheck.rules import Matcher, RuleSet, load_matcher, split_sentences

# The later stages are imported where they are used, so that
# `factcheck extract` starts without loading ingest, store, graph or export.
if TYPE_CHECKING:
    from factcheck import graph, ingest


@datatype(eq=False)
class Toolkit:
    """Everything the stages read, loaded once: rules, units, debris rules.

    The debris and comparison rules are loaded on first use: extracting
    figures from plain text needs neither.
    """

    rules: RuleSet
    matcher: Matcher
    resolver: Resolver
    ureg: Any

    @functools.cached_property
    def debris(self) -> ingest.DebrisRules:
        from factcheck import ingest

        return ingest.load_debris_rules()

    @functools.cached_property
    def comparison(self) -> graph.Comparison:
        from factcheck import graph

        return graph.load_comparison()

    def load_all(self) -> None:
        """Load now what is otherwise loaded on first use: worker processes
        forked after this share it instead of each loading its own."""
        self.debris, self.comparison  # noqa: B018 - loading is the point


def load_toolkit(rule_paths: Iterable[str | Path] = ()) -> Toolkit:
    """Load the shipped rules plus a user's rule files (``--rules``)."""
    ureg = LazyUnitRegistry()  # built only when a stage needs pint
    matcher = load_matcher(tuple(rule_paths), ureg=ureg)
    return Toolkit(rules=matcher.rules, matcher=matcher, resolver=Resolver(), ureg=ureg)


@datatype
class Summary:
    """The counts a scan reports in its last line."""

    documents: int
    claims: int
    shared: int
    conflicts: int
    warnings: int
    updates: int = 0

    def line(self) -> str:
        """The one line printed at the end of a scan."""
        counts = [
            _count(self.documents, "document"),
            _count(self.claims, "claim"),
            _count(self.shared, "shared figure"),
            _count(self.conflicts, "conflict"),
            _count(self.updates, "update"),
            _count(self.warnings, "warning"),
        ]
        return ", ".join(counts)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@datatype
class ScanResult:
    """What a scan produced: the claims, the figure groups and the documents."""

    claimset: ClaimSet
    groups: tuple[FigureGroup, ...]
    documents: tuple[Document, ...]
    warnings: tuple[str, ...]
    written: tuple[Path, ...] = field(default=())

    @property
    def summary(self) -> Summary:
        return Summary(
            documents=len(self.claimset.sources),
            claims=sum(1 for c in self.claimset.claims if not c.missing),
            shared=sum(1 for g in self.groups if g.status == "shared"),
            conflicts=sum(1 for g in self.groups if g.status == "conflict"),
            warnings=len(self.warnings),
            updates=sum(1 for g in self.groups if g.status == "update"),
        )


def extract_claims(document: Document, toolkit: Toolkit, *, latent: bool = False) -> list[Claim]:
    """Find, resolve and attribute every figure of one document.

    Latent figures (a bare "2" with nothing to say what it counts) are left
    out unless ``latent`` is true.
    """
    if document.status != "ok":
        return []
    text = document.text
    sentences, figures = _figures_of(document, toolkit)
    # Ids are numbered over every figure, latent or not, so that scanning
    # with or without --latent gives a claim the same id.
    placed = []
    seen: dict[tuple[str, str], int] = {}
    taken: set[str] = set()
    starts = [s.start for s in sentences]
    written: dict[Span, str] = {}  # each sentence's text, spaces made single
    for figure in figures:
        sentence = _sentence_of(figure.span, sentences, starts)
        sentence_text = written.get(sentence)
        if sentence_text is None:
            sentence_text = written[sentence] = " ".join(sentence.slice(text).split())
        occurrence = seen.get((sentence_text, figure.text), 0)
        seen[(sentence_text, figure.text)] = occurrence + 1
        identifier = claim_id(document.id, sentence_text, figure.text, occurrence, taken)
        if latent or not figure.latent:
            placed.append((identifier, sentence_text, figure))
    attributions = attribute(text, sentences, [f.span for _, _, f in placed], toolkit.rules.cues)
    claims: list[Claim] = []
    for (identifier, sentence_text, figure), attribution in zip(placed, attributions):
        claims.append(
            Claim(
                id=identifier,
                source=document.id,
                text=figure.text,
                sentence=sentence_text,
                kind=figure.kind,
                value=figure.value,
                unit=figure.unit,
                qualifier=figure.qualifier,
                low=figure.low,
                high=figure.high,
                measure=figure.measure,
                said_by=attribution.said_by,
                span=figure.span,
                said_by_span=attribution.said_by_span,
                quote_span=attribution.quote_span,
                cue=attribution.cue,
                via=attribution.via,
                rule=figure.rule,
                approximate=figure.approximate,
                latent=figure.latent,
                noun=figure.noun,
            )
        )
    return claims


def find_figures(document: Document, toolkit: Toolkit, *, latent: bool = False) -> list[tuple[Figure, Attribution]]:
    """Every figure of one document and who is reported as saying it, in
    text order: the claims of ``extract_claims`` without their ids and
    sentences, which cost a hash and a copy of the sentence each."""
    if document.status != "ok":
        return []
    sentences, figures = _figures_of(document, toolkit)
    kept = [f for f in figures if latent or not f.latent]
    return list(zip(kept, attribute(document.text, sentences, [f.span for f in kept], toolkit.rules.cues)))


def _figures_of(document: Document, toolkit: Toolkit) -> tuple[list[Span], list[Figure]]:
    """The sentences of a document's text and every figure in its body, latent ones too."""
    text = document.text
    sentences = split_sentences(text, document.body, toolkit.rules.abbreviations)
    return sentences, [toolkit.resolver.resolve(m, text) for m in toolkit.matcher.find_matches(text, document.body)]


def extract_each(
    documents: Iterable[Document], toolkit: Toolkit, *, latent: bool = False, jobs: int = 1
) -> Iterator[list[tuple[Figure, Attribution]]]:
    """``find_figures`` for each document, in the documents' order, by
    ``jobs`` processes at once (0: one per processor; see ``Workers``)."""
    with Workers(toolkit, latent=latent, jobs=jobs) as workers:
        yield from workers.map(_find, documents)


class Workers:
    """Processes that share this process's toolkit, for the steps of a run
    that can go in parallel: reading files and finding figures.

    With ``jobs`` above 1 (0: one per processor), the items are taken in
    batches; for each batch, ``jobs - 1`` copies of this process are forked
    and every process, this one too, takes every ``jobs``-th item. A fork
    inherits the toolkit and the items as they are, so nothing is loaded or
    sent twice and a short run pays only for the forks (see
    ``Toolkit.load_all`` for the rules otherwise loaded on first use). With
    one job, or where processes cannot be forked, the work is done here.
    Results come back in the order of the items either way, so the output
    is the same.
    """

    BATCH = 2000  # items per batch: bounds what is held in memory at once

    def __init__(self, toolkit: Toolkit, *, latent: bool = False, jobs: int = 1) -> None:
        self.toolkit, self.latent = toolkit, latent
        self.jobs = jobs if jobs > 0 else os.cpu_count() or 1
        if not hasattr(os, "fork"):
            self.jobs = 1

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        pass  # every fork has ended by the time its batch is given back

    def map(self, task: Callable[[Toolkit, bool, Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """``task(toolkit, latent, item)`` for each item, in order."""
        if self.jobs == 1:
            return (task(self.toolkit, self.latent, item) for item in items)
        return self._in_batches(task, items)

    def _in_batches(self, task: Callable[[Toolkit, bool, Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        pending = iter(items)
        while batch := list(itertools.islice(pending, self.BATCH)):
            yield from self._run_batch(task, batch)

    def _run_batch(self, task: Callable[[Toolkit, bool, Any], Any], batch: list[Any]) -> list[Any]:
        import pickle
        import signal
        import tempfile

        jobs = min(self.jobs, len(batch))
        running: dict[int, Any] = {}  # forks not yet waited for, with their output files
        try:
            for share in range(1, jobs):
                output = tempfile.TemporaryFile()
                pid = os.fork()
                if pid == 0:  # the copy: do its share, leave the results, end
                    _work_and_exit(task, self.toolkit, self.latent, batch[share::jobs], output)
                running[pid] = output
            shares = [[task(self.toolkit, self.latent, item) for item in batch[0::jobs]]]
            for pid in list(running):
                _, status = os.waitpid(pid, 0)
                output = running.pop(pid)
                with output:
                    code = os.waitstatus_to_exitcode(status)
                    if code != 0:
                        how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
                        raise RuntimeError(f"a worker process ended abnormally ({how})")
                    output.seek(0)
                    outcome, value = pickle.load(output)
                if outcome == "raised":
                    raise value
                shares.append(value)
        finally:
            # After an error here: the other forks' work is not wanted.
            for pid, output in running.items():
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                output.close()
        return [shares[index % jobs][index // jobs] for index in range(len(batch))]


def _work_and_exit(
    task: Callable[[Toolkit, bool, Any], Any], toolkit: Toolkit, latent: bool, items: list[Any], output: Any
) -> NoReturn:
    """In a forked copy: the results, or the error raised, pickled to ``output``."""
    import pickle

    code = 0
    try:
        try:
            outcome: tuple[str, Any] = ("done", [task(toolkit, latent, item) for item in items])
        except BaseException as error:  # noqa: BLE001 - handed to the parent, which raises it
            import traceback

            # The parent raises it with its own traceback: keep this one to read.
            error.add_note("".join(traceback.format_exception(error)).rstrip())
            outcome = ("raised", error)
        try:
            pickle.dump(outcome, output)
        except Exception:  # noqa: BLE001 - an error that cannot be pickled
            output.seek(0)
            output.truncate()
            pickle.dump(("raised", RuntimeError(f"in a worker process: {outcome[1]!r}")), output)
        output.flush()
    except BaseException:  # noqa: BLE001 - nothing may escape a forked copy
        code = 1
    finally:
        os._exit(code)  # not sys.exit: the copy must not run the parent's cleanup


def _extract(toolkit: Toolkit, latent: bool, document: Document) -> list[Claim]:
    return extract_claims(document, toolkit, latent=latent)


def _find(toolkit: Toolkit, latent: bool, document: Document) -> list[tuple[Figure, Attribution]]:
    return find_figures(document, toolkit, latent=latent)


def _read_file(toolkit: Toolkit, latent: bool, file: tuple[str, str]) -> Document:
    from factcheck import ingest

    path, doc_id = file
    return ingest.read_document(path, rules=toolkit.debris, doc_id=doc_id)


def _sentence_of(span: Span, sentences: Sequence[Span], starts: list[int]) -> Span:
    """The sentence holding ``span`` (sentences are sorted and disjoint), or
    the span itself when it crosses a boundary."""
    index = bisect.bisect_right(starts, span.start) - 1
    if index >= 0 and sentences[index].contains(span):
        return sentences[index]
    return span


def claim_id(source: str, sentence: str, text: str, occurrence: int, taken: set[str]) -> str:
    """A stable id: the same document, sentence and wording give the same id.

    >>> claim_id("geneva", "It has killed more than 290,000.", "more than 290,000", 0, set())
    'c-6d86e911'
    """
    import hashlib  # here: `factcheck extract` makes no ids, and loading hashlib loads OpenSSL

    digest = hashlib.sha1(f"{source}\x1f{sentence}\x1f{text}\x1f{occurrence}".encode()).hexdigest()
    length = 8
    while (identifier := f"c-{digest[:length]}") in taken:
        length += 2  # a collision inside one document: longer, still stable
    taken.add(identifier)
    return identifier


def source_of(document: Document) -> Source:
    return Source(
        id=document.id,
        path=document.path,
        url=document.url,
        title=document.title,
        outlet=document.outlet,
        published=document.published,
        sha256=document.sha256,
        status=document.status,
        reason=document.reason,
        author=document.author,
        canonical_url=document.canonical_url,
        redirects=document.redirects,
        record=document.record,
    )


def read_documents(
    paths: Sequence[str | Path],
    toolkit: Toolkit,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    *,
    options: ingest.InputOptions | None = None,
    workers: Workers | None = None,
) -> list[Document]:
    """Read every input: files or folders (recursive), export files, and
    URLs given in ``paths`` or in the files of links of ``options``; files
    and saved pages by ``workers`` when given."""
    from factcheck import ingest

    options = options or ingest.InputOptions()
    planned = ingest.plan_inputs(paths, options.url_lists)
    read_files = (lambda files: workers.map(_read_file, files)) if workers is not None else None
    return ingest.read_inputs(
        planned, rules=toolkit.debris, options=options, progress=progress, read_files=read_files
    )


def body_text(document: Document) -> str:
    """The text the rules scan in a document: its body paragraphs, one
    blank line between them (``factcheck text`` prints it)."""
    return "\n\n".join(span.slice(document.text) for span in document.body)


def scan(
    paths: Sequence[str | Path],
    claims_path: Path,
    reports_dir: Path | None,
    *,
    toolkit: Toolkit,
    latent: bool = False,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    options: ingest.InputOptions | None = None,
    jobs: int = 1,
) -> ScanResult:
    """Scan articles, merge with the claims file, write it and the reports.

    The existing claims file is read (and checked) before anything is
    written, so a broken file stops the scan and stays untouched. Fetched
    pages are cached in ``.factcheck-cache/`` next to the claims file
    unless ``options`` names another cache folder. ``jobs`` processes read
    the files and find the figures (see ``Workers``).
    """
    from factcheck import ingest, store

    previous = store.load_claims_if_exists(claims_path)
    options = options or ingest.InputOptions()
    if options.fetch.cache_dir is None:
        cache = claims_path.parent / ingest.DEFAULT_CACHE_DIR
        options = replace(options, fetch=replace(options.fetch, cache_dir=cache))
    toolkit.load_all()  # before the workers fork, so that they share it
    with Workers(toolkit, latent=latent, jobs=jobs) as workers:
        documents = read_documents(paths, toolkit, progress, options=options, workers=workers)
        claims = [c for found in workers.map(_extract, documents) for c in found]
    scanned = ClaimSet(sources=tuple(source_of(d) for d in documents), claims=tuple(claims))
    merged = store.merge_claims(previous, scanned)
    groups = tuple(figure_groups(merged, toolkit))
    store.save_claims(merged, claims_path)
    written = [claims_path]
    warnings = tuple(w for d in documents for w in d.warnings)
    if reports_dir is not None:
        by_id = {d.id: d for d in documents}
        written += render(
            merged, groups, reports_dir, _documents_for(merged, by_id, toolkit, claims_path, options.fetch.cache_dir)
        )
    return ScanResult(merged, groups, tuple(documents), warnings, tuple(written))


def rerender(
    claims_path: Path, reports_dir: Path, *, toolkit: Toolkit, cache_dir: Path | None = None
) -> ScanResult:
    """Render the reports again from claims.yaml, without scanning.

    The article text shown on document pages is read again from where the
    scan read it: a file, an export file's record, or a fetched page in the
    cache (``cache_dir``, by default ``.factcheck-cache/`` next to the claims
    file; never the network). A source whose text changed or is gone is
    shown with its claims only, and a warning says why.
    """
    from factcheck import ingest, store

    claimset = store.load_claims(claims_path)
    groups = tuple(figure_groups(claimset, toolkit))
    cache_dir = cache_dir or claims_path.parent / ingest.DEFAULT_CACHE_DIR
    documents, warnings = _reread(claimset, toolkit, claims_path.parent, cache_dir)
    written = render(claimset, groups, reports_dir, documents)
    return ScanResult(claimset, groups, tuple(documents.values()), tuple(warnings), tuple(written))


def render(
    claimset: ClaimSet,
    groups: Sequence[FigureGroup],
    reports_dir: Path,
    documents: dict[str, Document],
) -> list[Path]:
    """Write the HTML pages and ``graph.graphml`` into ``reports_dir``."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    # Imported here: jinja2 and the graph picture are for reports only, and
    # `factcheck extract` should not wait for them.
    from factcheck import graph, report

    pages = report.render_report(claimset, documents, groups, reports_dir)
    graphml = reports_dir / "graph.graphml"
    graph.write_graphml(graph.build_graph(claimset, groups), graphml)
    return [*pages, graphml]


def grouping_lexicon(toolkit: Toolkit) -> graph.Lexicon:
    """The words figure grouping reads, from the measure and cue rules."""
    from factcheck import graph

    measures = toolkit.rules.measures
    return graph.Lexicon(
        groups=measures.groups,
        generic_nouns=measures.generic_nouns,
        auxiliaries=measures.auxiliaries,
        skip=measures.skip_after,
        window=measures.window_before,
        org_words=toolkit.rules.cues.org_words,
        determiners=toolkit.rules.cues.determiners,
        pronouns=frozenset(toolkit.rules.cues.pronouns),
    )


def figure_groups(claimset: ClaimSet, toolkit: Toolkit) -> list[FigureGroup]:
    """The claims grouped by what they measure, each group rated as a scan does."""
    from factcheck import graph

    return graph.find_groups(
        claimset.claims,
        claimset.sources,
        toolkit.ureg,
        lexicon=grouping_lexicon(toolkit),
        comparison=toolkit.comparison,
        decisions=claimset.decisions,
    )


def export_json(claims_path: Path, *, toolkit: Toolkit) -> str:
    """The claims file and its figure groups as one JSON document.

    ``{"sources": [...], "claims": [...], "decisions": [...], "groups": [...]}``,
    with sources, claims and decisions under the keys of claims.yaml.
    """
    from factcheck import export, store

    claimset = store.load_claims(claims_path)
    groups = figure_groups(claimset, toolkit)
    return export.to_json(
        [store.source_to_dict(s) for s in claimset.sources],
        [store.claim_to_dict(c) for c in claimset.claims],
        [store.decision_to_dict(d) for d in claimset.decisions],
        groups,
    )


def export_as(
    claims_path: Path,
    output_format: str,
    *,
    toolkit: Toolkit,
    organisation: str | None = None,
    date: str | None = None,
    review_url: str | None = None,
) -> str:
    """The claims file in one of ``export.FORMATS``, as text.

    ``json`` is :func:`export_json`; ``csv`` one row per claim; ``graphml``
    and ``gexf`` the graph of sources, speakers, claims and figures;
    ``claimreview`` schema.org ClaimReview JSON-LD for the reviewed claims,
    written by ``organisation`` on ``date`` (YYYY-MM-DD), optionally
    published at ``review_url``.
    """
    if output_format == "json":
        return export_json(claims_path, toolkit=toolkit)
    from factcheck import export, graph, store

    claimset = store.load_claims(claims_path)
    if output_format == "claimreview":
        return export.to_claimreview(
            claimset,
            export.load_verdicts(),
            organisation=organisation or "",
            date=date or "",
            review_url=review_url,
            org_words=frozenset(w.casefold() for w in toolkit.rules.cues.org_words),
        )
    groups = figure_groups(claimset, toolkit)
    if output_format == "csv":
        return export.to_csv(claimset, groups)
    return export.graph_text(graph.build_graph(claimset, groups), output_format)


def _documents_for(
    claimset: ClaimSet, scanned: dict[str, Document], toolkit: Toolkit, claims_path: Path, cache_dir: Path | None
) -> dict[str, Document]:
    """Documents for the report: the ones scanned now, and the others re-read."""
    others = ClaimSet(sources=tuple(s for s in claimset.sources if s.id not in scanned), claims=())
    reread, _ = _reread(others, toolkit, claims_path.parent, cache_dir)
    return {**reread, **scanned}


def _reread(
    claimset: ClaimSet, toolkit: Toolkit, base: Path, cache_dir: Path | None
) -> tuple[dict[str, Document], list[str]]:
    """The documents of the sources read again: files from the working folder
    or ``base``, pages from ``cache_dir`` (nothing is fetched)."""
    from factcheck import ingest

    documents: dict[str, Document] = {}
    warnings: list[str] = []
    for source in claimset.sources:
        document, warning = ingest.reread_source(source, rules=toolkit.debris, base=base, cache_dir=cache_dir)
        if warning is not None:
            warnings.append(warning)
        if document is not None:
            documents[source.id] = document
    return documents, warnings


def extract_text(text: str, toolkit: Toolkit, *, latent: bool = False) -> list[Claim]:
    """Claims of a plain text given directly, with ids as a scan gives them.

    >>> toolkit = load_toolkit()
    >>> [c.text for c in extract_text("The war has killed more than 290,000.", toolkit)]
    ['more than 290,000']
    """
    return extract_claims(text_document(text), toolkit, latent=latent)


def text_document(text: str) -> Document:
    """A plain text given directly, as a document that is all body."""
    return Document(id="text", text=text, body=(Span(0, len(text)),) if text else ())
