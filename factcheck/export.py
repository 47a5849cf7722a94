"""The claims and figure groups in the formats other tools read.

- ``json``: one document holding ``sources``, ``claims`` and ``decisions``
  exactly as claims.yaml does (the caller gives them as plain dicts in the
  file's key order) and ``groups``, one object per figure group (see
  :func:`group_to_dict`).
- ``csv``: one row per claim, for spreadsheets (:func:`to_csv`).
- ``claimreview``: schema.org ClaimReview JSON-LD for each claim a person
  reviewed (:func:`to_claimreview`); the published verdicts are data, in
  ``data/claimreview.yaml``.
- ``graphml`` and ``gexf``: the graph of sources, speakers, claims and
  figures, for Gephi and other graph tools (:func:`graph_text`).

Same input, same bytes: keys keep their order and nothing is sorted again.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    import networkx as nx

from factcheck.model import EXPORT_FORMATS, REVIEW_STATUSES, Claim, ClaimSet, FactcheckError, FigureGroup, Source

FORMATS = EXPORT_FORMATS
SHIPPED_VERDICTS = Path(__file__).parent / "data" / "claimreview.yaml"
CSV_COLUMNS = (
    "id",
    "document",
    "outlet",
    "title",
    "published",
    "url",
    "text",
    "sentence",
    "kind",
    "value",
    "unit",
    "qualifier",
    "low",
    "high",
    "approximate",
    "measure",
    "said_by",
    "cue",
    "rule",
    "latent",
    "missing",
    "start",
    "end",
    "figure_group",
    "figure_status",
    "independent_sources",
    "review_status",
    "review_note",
)
_XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(FactcheckError):
    """A claim set that cannot be written as JSON; ``str()`` is one line."""


def group_to_dict(group: FigureGroup) -> dict[str, Any]:
    """A figure group as a plain dict.

    The first keys are ``id``, ``status`` (shared | conflict | update |
    single), ``measure``, ``unit``, ``claims`` (claim ids), ``speakers``,
    ``outlets``, ``independent_sources`` and ``explanation``; then ``kind``,
    ``subject``, ``documents`` (source ids), ``origins`` (the independent
    sources by name) and ``timeline`` (``{"date", "figure", "claims"}``,
    oldest first).
    """
    return {
        "id": group.id,
        "status": group.status,
        "measure": group.measure,
        "unit": group.unit,
        "claims": list(group.claim_ids),
        "speakers": list(group.speakers),
        "outlets": list(group.outlets),
        "independent_sources": group.independent_sources,
        "explanation": group.explanation,
        "kind": group.kind,
        "subject": group.subject,
        "documents": list(group.sources),
        "origins": list(group.origins),
        "timeline": [{"date": d, "figure": f, "claims": list(ids)} for d, f, ids in group.timeline],
    }


def to_json(
    sources: Sequence[dict[str, Any]],
    claims: Sequence[dict[str, Any]],
    decisions: Sequence[dict[str, Any]],
    groups: Sequence[FigureGroup],
) -> str:
    """The JSON text of an export, ending with a newline.

    Raises :class:`ExportError` for a value JSON cannot hold (``.nan`` typed
    into a key a person added).
    """
    document = {
        "sources": list(sources),
        "claims": list(claims),
        "decisions": list(decisions),
        "groups": [group_to_dict(g) for g in groups],
    }
    try:
        return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False, default=_plain) + "\n"
    except ValueError as exc:
        raise ExportError(f"cannot write JSON: {exc}") from None


def _plain(value: Any) -> Any:
    # Keys a person adds to claims.yaml may hold YAML dates or sets.
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
    raise ExportError(f"cannot write JSON: no JSON form for a {type(value).__name__} value")


# --------------------------------------------------------------------------
# CSV


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text_cell(value: str | None) -> str:
    # Article text is untrusted: "=HYPERLINK(...)" must stay text in a
    # spreadsheet, so such a cell gets the apostrophe that marks text.
    text = value or ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(claimset: ClaimSet, groups: Sequence[FigureGroup]) -> str:
    """One row per claim, in the order of the claims file, under a header
    row of ``CSV_COLUMNS``; lines end with CRLF, as RFC 4180 has it.

    Numbers are written plainly (``290000``), yes/no values as ``true`` or
    ``false``, absent values as empty cells. Text cells that a spreadsheet
    would run as a formula start with an apostrophe.
    """
    sources = {s.id: s for s in claimset.sources}
    group_of: dict[str, FigureGroup] = {}
    for group in groups:
        for claim_id in group.claim_ids:
            group_of.setdefault(claim_id, group)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for claim in claimset.claims:
        source = sources.get(claim.source)
        group = group_of.get(claim.id)
        writer.writerow(
            [
                claim.id,
                claim.source,
                _text_cell(source.outlet if source else None),
                _text_cell(source.title if source else None),
                _cell(source.published if source else None),
                _text_cell(source.url if source else None),
                _text_cell(claim.text),
                _text_cell(claim.sentence),
                claim.kind,
                _cell(claim.value),
                _cell(claim.unit),
                _cell(claim.qualifier),
                _cell(claim.low),
                _cell(claim.high),
                _cell(claim.approximate),
                _text_cell(claim.measure),
                _text_cell(claim.said_by),
                _text_cell(claim.cue),
                _text_cell(claim.rule),
                _cell(claim.latent),
                _cell(claim.missing),
                _cell(claim.span.start if claim.span else None),
                _cell(claim.span.end if claim.span else None),
                group.id if group else "",
                group.status if group else "",
                _cell(group.independent_sources if group else None),
                claim.review.status,
                _text_cell(claim.review.note),
            ]
        )
    return out.getvalue()


# --------------------------------------------------------------------------
# ClaimReview


def load_verdicts(path: Path | str = SHIPPED_VERDICTS) -> dict[str, str]:
    """The published verdict for each review status (``data/claimreview.yaml``).

    Raises :class:`ExportError` ``"file:line: message"`` on any problem.

    >>> load_verdicts()["false"]
    'False'
    """
    path = Path(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ExportError(f"{path}:{mark.line + 1 if mark else 1}: {exc.problem or exc.context}") from None

    def fail(node: yaml.Node, message: str) -> ExportError:
        return ExportError(f"{path}:{node.start_mark.line + 1}: {message}")

    if not isinstance(root, yaml.MappingNode) or [k.value for k, _ in root.value] != ["verdicts"]:
        raise ExportError(f"{path}:1: the file must hold one key, verdicts")
    table = root.value[0][1]
    if not isinstance(table, yaml.MappingNode):
        raise fail(table, "verdicts must map review statuses to words")
    verdicts: dict[str, str] = {}
    for key, value in table.value:
        status = key.value if isinstance(key, yaml.ScalarNode) else ""
        if status not in REVIEW_STATUSES:
            raise fail(key, f"unknown review status {status!r}; known: {', '.join(REVIEW_STATUSES)}")
        if status in verdicts:
            raise fail(key, f"duplicate review status {status!r}")
        if not isinstance(value, yaml.ScalarNode) or value.tag.endswith(":null") or not value.value.strip():
            raise fail(value, f"the verdict for {status!r} must be text")
        verdicts[status] = value.value.strip()
    return verdicts


def _party(name: str, org_words: frozenset[str]) -> dict[str, str]:
    """A speaker as schema.org sees it: an Organization when its name holds
    an organisation word ("agency", "ministry"), else a Person."""
    words = {w.casefold() for w in re.findall(r"[^\W\d_]+", name)}
    kind = "Organization" if words & org_words else "Person"
    return {"@type": kind, "name": name}


def _appearance(source: Source | None) -> dict[str, Any] | None:
    url = (source.url or source.canonical_url) if source else None
    if source is None or not url:
        return None
    work: dict[str, Any] = {"@type": "CreativeWork", "url": url}
    if source.title:
        work["headline"] = source.title
    if source.published:
        work["datePublished"] = source.published
    if source.outlet:
        work["publisher"] = {"@type": "Organization", "name": source.outlet}
    return work


def claim_review(
    claim: Claim,
    source: Source | None,
    verdict: str,
    *,
    organisation: str,
    date: str,
    review_url: str | None = None,
    org_words: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """One schema.org ClaimReview for a reviewed claim.

    ``claimReviewed`` is the sentence the figure stands in;
    ``reviewRating.alternateName`` is ``verdict`` and its
    ``ratingExplanation`` the review note; ``itemReviewed`` is the Claim,
    whose ``author`` is the speaker (or, when the article names none, the
    outlet) and whose ``appearance`` is the article's address; ``author`` is
    ``organisation``, the fact-checkers.
    """
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict}
    if claim.review.note.strip():
        rating["ratingExplanation"] = claim.review.note.strip()
    item: dict[str, Any] = {"@type": "Claim"}
    speaker = " ".join((claim.said_by or "").split())
    if speaker:
        item["author"] = _party(speaker, org_words)
    elif source is not None and source.outlet:
        item["author"] = {"@type": "Organization", "name": source.outlet}
    if source is not None and source.published:
        item["datePublished"] = source.published
    appearance = _appearance(source)
    if appearance is not None:
        item["appearance"] = appearance
    review: dict[str, Any] = {"@context": "https://schema.org", "@type": "ClaimReview"}
    if review_url:
        review["url"] = review_url
    review.update(
        {
            "identifier": claim.id,
            "claimReviewed": claim.sentence,
            "datePublished": date,
            "author": {"@type": "Organization", "name": organisation},
            "reviewRating": rating,
            "itemReviewed": item,
        }
    )
    return review


def to_claimreview(
    claimset: ClaimSet,
    verdicts: Mapping[str, str],
    *,
    organisation: str,
    date: str,
    review_url: str | None = None,
    org_words: frozenset[str] = frozenset(),
) -> str:
    """A JSON array of ClaimReview objects, one for each claim whose review
    status has a verdict, in the order of the claims file; ends with a newline.

    A ``verdict:`` key a person added to a review words that claim's verdict.
    """
    if not organisation.strip():
        raise ExportError("claimreview needs the fact-checking organisation: give --organisation NAME")
    try:
        datetime.date.fromisoformat(date)
    except ValueError:
        raise ExportError(f"claimreview date must be YYYY-MM-DD, not {date!r}") from None
    sources = {s.id: s for s in claimset.sources}
    reviews = []
    for claim in claimset.claims:
        verdict = verdicts.get(claim.review.status)
        if verdict is None:
            continue
        own = claim.review.extra.get("verdict")
        if isinstance(own, str) and own.strip():
            verdict = own.strip()
        reviews.append(
            claim_review(
                claim,
                sources.get(claim.source),
                verdict,
                organisation=organisation.strip(),
                date=date,
                review_url=review_url,
                org_words=org_words,
            )
        )
    return json.dumps(reviews, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------
# Graphs


def _label(data: Mapping[str, Any]) -> str:
    for key in ("text", "title", "name", "measure", "source_id", "group_id"):
        if data.get(key):
            return str(data[key])
    return ""


def graph_text(graph: nx.MultiDiGraph, output_format: str) -> str:
    """``graph`` as GraphML or GEXF text, ending with a newline.

    For GEXF, where ``start`` and ``end`` mean time, a claim's character
    offsets are written as ``span_start`` and ``span_end``; every node gets a
    ``label`` (a claim's text, a source's title, a speaker's name, a figure's
    measure) for Gephi to show, and the file carries no date of writing, so
    the same claims give the same bytes.
    """
    import networkx as nx

    if output_format == "graphml":
        return _XML_DECLARATION + "\n".join(nx.generate_graphml(graph)) + "\n"
    if output_format != "gexf":
        raise ExportError(f"no graph format {output_format!r}; use graphml or gexf")
    plain = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        renamed = {("span_" + k if k in ("start", "end") else k): v for k, v in data.items()}
        plain.add_node(node, label=_label(data), **renamed)
    for u, v, key, data in graph.edges(keys=True, data=True):
        plain.add_edge(u, v, key=key, **data)
    text = "\n".join(nx.generate_gexf(plain))
    return _XML_DECLARATION + re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1) + "\n"
