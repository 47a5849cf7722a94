"""The stages in order: the library entry points behind the CLI.

ingest -> rules -> figures -> attribution -> store -> graph -> report.
Each stage gets what it needs as arguments; shared state (the rules, the
unit registry) is built once here in a ``Toolkit`` and passed down.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import pint

from factcheck import graph, ingest, report, store
from factcheck.attribution import attribute
from factcheck.figures import Resolver
from factcheck.model import Claim, ClaimSet, Document, FigureGroup, Source, Span
from factcheck.rules import Matcher, RuleSet, compile_rules, load_rules, split_sentences


@dataclass(frozen=True)
class Toolkit:
    """Everything the stages read, loaded once: rules, units, debris rules."""

    rules: RuleSet
    matcher: Matcher
    resolver: Resolver
    ureg: Any
    debris: ingest.DebrisRules


def load_toolkit(rule_paths: Iterable[str | Path] = ()) -> Toolkit:
    """Load the shipped rules plus a user's rule files (``--rules``)."""
    ureg = pint.UnitRegistry()
    rules = load_rules(rule_paths, ureg=ureg)
    return Toolkit(
        rules=rules,
        matcher=compile_rules(rules),
        resolver=Resolver(ureg),
        ureg=ureg,
        debris=ingest.load_debris_rules(),
    )


@dataclass(frozen=True)
class Summary:
    documents: int
    claims: int
    shared: int
    conflicts: int
    warnings: int

    def line(self) -> str:
        """The one line printed at the end of a scan."""
        return (
            f"{self.documents} documents, {self.claims} claims, {self.shared} shared figures, "
            f"{self.conflicts} conflicts, {self.warnings} warnings"
        )


@dataclass(frozen=True)
class ScanResult:
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
        )


def extract_claims(document: Document, toolkit: Toolkit, *, latent: bool = False) -> list[Claim]:
    """Find, resolve and attribute every figure of one document.

    Latent figures (a bare "2" with nothing to say what it counts) are left
    out unless ``latent`` is true.
    """
    if document.status != "ok":
        return []
    text = document.text
    sentences = split_sentences(text, document.body, toolkit.rules.abbreviations)
    matches = toolkit.matcher.find_matches(text, document.body)
    figures = [toolkit.resolver.resolve(m, text) for m in matches]
    # Ids are numbered over every figure, latent or not, so that scanning
    # with or without --latent gives a claim the same id.
    placed = []
    seen: dict[tuple[str, str], int] = {}
    taken: set[str] = set()
    for figure in figures:
        sentence = next((s for s in sentences if s.contains(figure.span)), figure.span)
        sentence_text = " ".join(sentence.slice(text).split())
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
                rule=figure.rule,
                approximate=figure.approximate,
                latent=figure.latent,
            )
        )
    return claims


def claim_id(source: str, sentence: str, text: str, occurrence: int, taken: set[str]) -> str:
    """A stable id: the same document, sentence and wording give the same id.

    >>> claim_id("geneva", "It has killed more than 290,000.", "more than 290,000", 0, set())
    'c-4a0ad1a1'
    """
    digest = hashlib.sha1(f"{source}\x1f{sentence}\x1f{text}\x1f{occurrence}".encode()).hexdigest()
    length = 8
    while f"c-{digest[:length]}" in taken:
        length += 2  # a collision inside one document: longer, still stable
    taken.add(f"c-{digest[:length]}")
    return f"c-{digest[:length]}"


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
    )


def read_documents(
    paths: Sequence[str | Path],
    toolkit: Toolkit,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
) -> list[Document]:
    """Read every article under ``paths`` (files or folders, recursive)."""
    files = ingest.find_inputs(paths)
    taken: set[str] = set()
    ids = [ingest.make_doc_id(path, taken) for path in files]
    by_path = dict(zip(files, ids))
    iterable = progress(files) if progress else files
    return [ingest.read_document(path, rules=toolkit.debris, doc_id=by_path[path]) for path in iterable]


def scan(
    paths: Sequence[str | Path],
    claims_path: Path,
    reports_dir: Path | None,
    *,
    toolkit: Toolkit,
    latent: bool = False,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
) -> ScanResult:
    """Scan articles, merge with the claims file, write it and the reports.

    The existing claims file is read (and checked) before anything is
    written, so a broken file stops the scan and stays untouched.
    """
    previous = store.load_claims_if_exists(claims_path)
    documents = read_documents(paths, toolkit, progress)
    claims = [c for d in documents for c in extract_claims(d, toolkit, latent=latent)]
    scanned = ClaimSet(sources=tuple(source_of(d) for d in documents), claims=tuple(claims))
    merged = store.merge_claims(previous, scanned)
    groups = tuple(_groups(merged, toolkit))
    store.save_claims(merged, claims_path)
    written = [claims_path]
    warnings = tuple(w for d in documents for w in d.warnings)
    if reports_dir is not None:
        by_id = {d.id: d for d in documents}
        written += render(
            merged, groups, reports_dir, _documents_for(merged, by_id, toolkit, claims_path), toolkit.ureg
        )
    return ScanResult(merged, groups, tuple(documents), warnings, tuple(written))


def rerender(claims_path: Path, reports_dir: Path, *, toolkit: Toolkit) -> ScanResult:
    """Render the reports again from claims.yaml, without scanning.

    The article text shown on document pages is read again from each
    source's path; a source whose file changed or is gone is shown with its
    claims only, and a warning says why.
    """
    claimset = store.load_claims(claims_path)
    groups = tuple(_groups(claimset, toolkit))
    documents, warnings = _reread(claimset, toolkit, claims_path)
    written = render(claimset, groups, reports_dir, documents, toolkit.ureg)
    return ScanResult(claimset, groups, tuple(documents.values()), tuple(warnings), tuple(written))


def render(
    claimset: ClaimSet,
    groups: Sequence[FigureGroup],
    reports_dir: Path,
    documents: dict[str, Document],
    ureg: Any,
) -> list[Path]:
    """Write the HTML pages and ``graph.graphml`` into ``reports_dir``."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    pages = report.render_report(claimset, documents, groups, reports_dir)
    graphml = reports_dir / "graph.graphml"
    graph.write_graphml(graph.build_graph(claimset, groups, ureg=ureg), graphml)
    return [*pages, graphml]


def _groups(claimset: ClaimSet, toolkit: Toolkit) -> list[FigureGroup]:
    return graph.find_groups(claimset.claims, claimset.sources, toolkit.ureg, toolkit.rules.measures.groups)


def _documents_for(
    claimset: ClaimSet, scanned: dict[str, Document], toolkit: Toolkit, claims_path: Path
) -> dict[str, Document]:
    """Documents for the report: the ones scanned now, and the others re-read."""
    others = ClaimSet(sources=tuple(s for s in claimset.sources if s.id not in scanned), claims=())
    reread, _ = _reread(others, toolkit, claims_path)
    return {**reread, **scanned}


def _reread(claimset: ClaimSet, toolkit: Toolkit, claims_path: Path) -> tuple[dict[str, Document], list[str]]:
    documents: dict[str, Document] = {}
    warnings: list[str] = []
    for source in claimset.sources:
        if not source.path:
            continue
        path = Path(source.path)
        if not path.is_absolute() and not path.exists():
            path = claims_path.parent / path
        if not path.exists():
            warnings.append(f"{source.path}: file not found; its page shows claims only")
            continue
        document = ingest.read_document(path, rules=toolkit.debris, doc_id=source.id)
        if document.sha256 != source.sha256:
            warnings.append(f"{source.path}: changed since the scan; run 'factcheck scan' again")
            continue
        documents[source.id] = replace(document, path=source.path)
    return documents, warnings


def extract_text(text: str, toolkit: Toolkit, *, latent: bool = False) -> list[Claim]:
    """Claims of a plain text given directly (``factcheck extract``).

    >>> toolkit = load_toolkit()
    >>> [c.text for c in extract_text("The war has killed more than 290,000.", toolkit)]
    ['more than 290,000']
    """
    document = Document(id="text", text=text, body=(Span(0, len(text)),) if text else ())
    return extract_claims(document, toolkit, latent=latent)
