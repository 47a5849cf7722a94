"""Render a claim set as a static, self-contained HTML site.

The site opens from ``file://`` with nothing fetched from elsewhere: the
stylesheet and script are inlined into every page, and a Content-Security-
Policy allows exactly those two inline blocks (by hash) and nothing else.
Every page shows all its content with scripts off; the script only adds
the claim details panel, keyboard moves and filters.

Everything taken from documents or claims.yaml is escaped: templates run with
autoescaping on, and the claim rows and the highlighted article text, made in
Python because a large story has tens of thousands of them, are assembled
from pieces escaped one by one (see ``rows.py`` and ``text.py``), never by
replacing strings in markup. What many pages show (a claim's rows, a figure
group's entry) is made once and reused.

Pages written:

- ``index.html``: the overview, the work in the order to do it;
- ``claims.html`` (then ``claims-2.html``, ...): every claim, filterable;
- ``figures.html`` (then ``figures-2.html``, ...): every figure group, and
  ``figures/<group id>.html``, one page per group;
- ``speakers.html`` (then ``speakers-2.html``, ...): who said what;
- ``documents.html`` (then ``documents-2.html``, ...) and
  ``documents/<id>.html``, one page per document;
- ``graph.html``: a picture of documents, speakers and figures.

Long lists are cut into pages of at most ``PAGE_SIZE`` rows, so no page
grows without bound. A page whose bytes are already right is left as it is,
its modification time too: a report kept in git or served changes only where
the claims did. A page an earlier run wrote (it carries this renderer's
generator tag) that is no longer part of the site is removed, so a stale
page cannot be mistaken for a current one; other files are left alone.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from factcheck.files import write_if_changed
from factcheck.model import REVIEW_STATUSES, Claim, ClaimSet, Document, FigureGroup, Source, datatype
from factcheck.report import picture
from factcheck.report.rows import BADGES, DASH, ClaimCells, SharedText, bodies, unknown_row
from factcheck.report.text import (
    STATUS_SYMBOLS,
    escape_text,
    group_status,
    highlight,
    interval_text,
    number_text,
    review_class,
    speaker_name,
)

logger = logging.getLogger(__name__)

GENERATOR = "factcheck report"
STATUS_ORDER = {"conflict": 0, "update": 1, "shared": 2, "single": 3}
# Most rows on one page of a list (claims, figures, speakers, documents):
# a page of 500 claims opens in about a second in chromium (bench/report_scale.py).
PAGE_SIZE = 500
# Pages made but not yet written, at most: enough to keep the writer busy.
WRITE_AHEAD = 16
# Most figures listed in each section of the overview; the rest are a link away.
OVERVIEW_LIMIT = 50
# The overview lists every document up to this many; beyond, only those with a problem.
OVERVIEW_DOCUMENTS = 100
# The work queue: which figures to look at first, and how each section reads.
QUEUES = (
    ("conflict", "Conflicting figures", "Sources give figures that cannot both hold."),
    (
        "one-source",
        "Corroborated by one source only",
        "Several outlets give the figure, but all of them have it from the same source.",
    ),
    ("unattributed", "Unattributed figures", "No claim of the figure names who gave it: the outlets' own numbers."),
    ("update", "Figures that changed over time", "The figures differ because they were revised; check the timeline."),
    ("shared", "Shared figures", "Compatible figures from more than one independent source."),
    ("single", "Single-source figures", "A figure given in one document only."),
)
UNATTRIBUTED = "(none)"

# Ids that are safe as file names as they are; others get a hashed name.
_SAFE_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")

T = TypeVar("T")


# --------------------------------------------------------------------------
# Names and addresses


def _stems(ids: Iterable[str], prefix: str) -> dict[str, str]:
    """File name stems for pages, unique even on case-folding disks."""
    stems: dict[str, str] = {}
    taken: set[str] = set()
    for identifier in sorted(set(ids)):
        digest = hashlib.sha1(identifier.encode("utf-8")).hexdigest()
        stem = identifier if _SAFE_STEM.fullmatch(identifier) else prefix + digest[:12]
        if stem.casefold() in taken:
            stem = f"{stem}-{digest[:8]}"
        taken.add(stem.casefold())
        stems[identifier] = stem
    return stems


def _fragment(identifier: str) -> str:
    return "#" + quote(identifier, safe="")


def _speaker_key(name: str) -> str:
    return name.casefold()


def _speaker_anchor(key: str) -> str:
    return "speaker-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def _page_names(stem: str, count: int) -> list[str]:
    return [f"{stem}.html" if n == 1 else f"{stem}-{n}.html" for n in range(1, max(count, 1) + 1)]


def _pages(items: Sequence[T], weight: Any = None, size: int = PAGE_SIZE) -> list[list[T]]:
    """Cut ``items`` into pages of at most ``size`` rows (an item weighs
    ``weight(item)`` rows); an item never straddles two pages."""
    pages: list[list[T]] = [[]]
    rows = 0
    for item in items:
        heavy = weight(item) if weight else 1
        if pages[-1] and rows + heavy > size:
            pages.append([])
            rows = 0
        pages[-1].append(item)
        rows += heavy
    return pages


def _pager(names: list[str], current: int) -> list[dict[str, Any]]:
    if len(names) < 2:
        return []
    return [{"number": n + 1, "href": name, "current": n == current} for n, name in enumerate(names)]


# --------------------------------------------------------------------------
# Page data


@datatype(frozen=True)
class _DocInfo:
    id: str
    stem: str
    title: str
    outlet: str | None
    published: str | None
    status: str
    reason: str | None
    url: str | None
    path: str | None
    sha256: str | None
    warnings: tuple[str, ...]
    document: Document | None
    href: str  # the document page's address relative to the site root

    @property
    def outlet_label(self) -> str:
        # As figure explanations name it: the outlet, else the document id.
        return self.outlet or self.id


def _doc_info(doc_id: str, stem: str, source: Source | None, document: Document | None) -> _DocInfo:
    """Metadata for a document page, preferring the freshly ingested document."""

    def pick(name: str) -> Any:
        value = getattr(document, name, None) if document is not None else None
        return value if value not in (None, "") else getattr(source, name, None)

    if document is not None:
        status = document.status
    else:
        status = source.status if source is not None else "unknown"
    warnings = document.warnings if document is not None else ()
    if document is not None and source is not None and document.sha256 and source.sha256:
        if document.sha256 != source.sha256:
            # Spans were recorded against the old text and may point elsewhere now.
            warnings += ("The document has changed since its claims were recorded.",)
    return _DocInfo(
        id=doc_id,
        stem=stem,
        title=pick("title") or doc_id,
        outlet=pick("outlet"),
        published=pick("published"),
        status=status,
        reason=pick("reason"),
        url=pick("url"),
        path=pick("path"),
        sha256=pick("sha256") or None,
        warnings=warnings,
        document=document,
        href=f"documents/{quote(stem)}.html",
    )


def _queue(group: FigureGroup) -> str:
    """Where a figure stands in the work queue (see ``QUEUES``)."""
    if group.status == "conflict":
        return "conflict"
    if group.status == "shared" and group.independent_sources <= 1:
        return "one-source"
    if not group.speakers:
        return "unattributed"
    return group.status if group.status in ("update", "shared") else "single"


def _in_sentence(claim: Claim) -> str:
    """The claim's sentence with its figure in bold, as HTML."""
    figure = " ".join(claim.text.split())
    at = claim.sentence.find(figure) if figure else -1
    if at < 0:
        return escape_text(claim.sentence)
    before, after = claim.sentence[:at], claim.sentence[at + len(figure) :]
    return f"{escape_text(before)}<strong>{escape_text(figure)}</strong>{escape_text(after)}"


class _Site:
    """Everything the pages are made from, worked out once."""

    def __init__(
        self, claimset: ClaimSet, documents: Mapping[str, Document], groups: Sequence[FigureGroup], page_size: int
    ):
        self.page_size = page_size
        sources = {s.id: s for s in claimset.sources}
        doc_ids = set(sources) | set(documents) | {c.source for c in claimset.claims}
        stems = _stems(doc_ids, "doc-")
        self.infos = {d: _doc_info(d, stems[d], sources.get(d), documents.get(d)) for d in sorted(doc_ids)}
        self.claims = claimset.claims
        self.claim_by_id = {c.id: c for c in self.claims}
        self.groups = sorted(groups, key=lambda g: (STATUS_ORDER.get(g.status, len(STATUS_ORDER)), g.measure or "", g.id))
        stems = _stems((g.id for g in self.groups), "g-")
        self.group_hrefs = {g.id: f"figures/{quote(stems[g.id])}.html" for g in self.groups}
        self.group_of: dict[str, FigureGroup] = {}
        for group in self.groups:
            for claim_id in group.claim_ids:
                self.group_of.setdefault(claim_id, group)
        self.conflicted = {
            claim_id
            for group in self.groups
            for a, b, relation in group.relations
            if relation == "conflicts"
            for claim_id in (a, b)
        }
        self.by_doc: dict[str, list[Claim]] = {d: [] for d in self.infos}
        for claim in self.claims:
            self.by_doc[claim.source].append(claim)
        self.speakers = self._speakers()
        self.speaker_pages = self._paginate_speakers()
        self.rows = {c.id: self._row(c) for c in self.claims}
        shared = SharedText()
        self.cells = {claim_id: ClaimCells(row, shared) for claim_id, row in self.rows.items()}

    def group_href(self, group: FigureGroup) -> str:
        return self.group_hrefs[group.id]

    def _speakers(self) -> dict[str, dict[str, Any]]:
        """Speakers by key, each with the name written most often."""
        names: dict[str, Counter[str]] = {}
        for claim in self.claims:
            name = speaker_name(claim)
            if name:
                names.setdefault(_speaker_key(name), Counter())[name] += 1
        speakers = {}
        for key, counts in names.items():
            name = min(counts, key=lambda n: (-counts[n], n))
            speakers[key] = {"key": key, "name": name, "anchor": _speaker_anchor(key), "href": ""}
        return speakers

    def _paginate_speakers(self) -> list[list[str]]:
        """Speaker keys by page of the speakers list, most claims first;
        each speaker learns the address of its entry."""
        counts = Counter(_speaker_key(name) for c in self.claims if (name := speaker_name(c)))
        order = sorted(self.speakers, key=lambda k: (-counts[k], self.speakers[k]["name"].casefold(), k))
        pages = _pages(order, weight=counts.__getitem__, size=self.page_size)
        for name, page in zip(_page_names("speakers", len(pages)), pages):
            for key in page:
                self.speakers[key]["href"] = name + "#" + self.speakers[key]["anchor"]
        return pages

    def _row(self, claim: Claim) -> dict[str, Any]:
        info = self.infos[claim.source]
        group = self.group_of.get(claim.id)
        speaker = speaker_name(claim)
        return {
            "id": claim.id,
            "text": claim.text,
            "sentence": claim.sentence,
            "kind": claim.kind,
            "value": number_text(claim.value),
            "interval": interval_text(claim),
            "unit": claim.unit or "",
            "measure": claim.measure or "",
            "said_by": speaker,
            "speaker_key": _speaker_key(speaker) if speaker else UNATTRIBUTED,
            "speaker_href": self.speakers[_speaker_key(speaker)]["href"] if speaker else None,
            "cue": claim.cue or "",
            "rule": claim.rule or "",
            "review": claim.review.status,
            "review_class": review_class(claim.review.status),
            "note": claim.review.note or "",
            "status": group_status(group),
            "group_id": group.id if group else "",
            "group_href": self.group_href(group) if group else None,
            "doc_id": info.id,
            "doc_title": info.title,
            "doc_href": info.href,
            "outlet": info.outlet_label,
            "published": info.published or "",
            "href": info.href + _fragment(claim.id),
            "latent": claim.latent,
            "missing": claim.missing,
            "conflicted": claim.id in self.conflicted,
        }

    def group_view(self, group: FigureGroup) -> dict[str, Any]:
        rows = [self.rows[c] for c in group.claim_ids if c in self.rows]
        texts = Counter(" ".join(r["text"].split()) for r in rows)
        return {
            "id": group.id,
            "href": self.group_href(group),
            "status": group_status(group),
            "queue": _queue(group),
            "kind": group.kind,
            "measure": group.measure or "",
            "subject": group.subject or "",
            "unit": group.unit or "",
            "explanation": group.explanation,
            "figures": ", ".join(sorted(texts, key=lambda t: (-texts[t], t))[:4]) + (", …" if len(texts) > 4 else ""),
            "claims": len(group.claim_ids),
            "reviewed": sum(1 for r in rows if r["review"] != "unreviewed"),
            "documents": len(group.sources),
            "outlets": ", ".join(group.outlets),
            "independent": group.independent_sources,
            "origins": list(group.origins),
            "speakers": ", ".join(group.speakers),
        }


def _by_group(row: Mapping[str, Any]) -> tuple[int, str]:
    return (STATUS_ORDER.get(row["status"], len(STATUS_ORDER)), row["group_id"])


def _review_counts(claims: Sequence[Claim]) -> list[dict[str, Any]]:
    """Claims by review status, in the file's order of statuses, with their
    share of a bar 100 units wide."""
    counts = Counter(c.review.status for c in claims)
    statuses = [s for s in REVIEW_STATUSES if s != "unreviewed"]
    statuses += sorted(s for s in counts if s not in REVIEW_STATUSES) + ["unreviewed"]
    total = max(len(claims), 1)
    rows, x = [], 0.0
    for status in statuses:
        width = 100 * counts.get(status, 0) / total
        rows.append({"status": status, "class": review_class(status), "count": counts.get(status, 0),
                     "x": f"{x:.3f}", "width": f"{width:.3f}"})
        x += width
    return rows


def _options(rows: Iterable[Mapping[str, Any]], field: str, label: str | None = None) -> list[tuple[str, str]]:
    """The distinct values of ``field`` in ``rows``, as (value, shown) pairs."""
    seen: dict[str, str] = {}
    for row in rows:
        value = str(row[field])
        seen.setdefault(value, str(row[label]) if label else value)
    return sorted(seen.items(), key=lambda kv: (kv[1].casefold(), kv[0]))


def _claim_filters(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    speakers = [
        (value, shown or "no speaker named") for value, shown in _options(rows, "speaker_key", "said_by")
    ]
    return [
        {"name": "status", "label": "Figure status", "options": [(s, s) for s in STATUS_SYMBOLS if any(r["status"] == s for r in rows)]},
        {"name": "review", "label": "Review", "options": _options(rows, "review")},
        {"name": "kind", "label": "Kind", "options": _options(rows, "kind")},
        {"name": "speaker", "label": "Speaker", "options": speakers},
        {"name": "outlet", "label": "Outlet", "options": _options(rows, "outlet")},
    ]


# --------------------------------------------------------------------------
# Output


def _static(name: str) -> str:
    return resources.files("factcheck.report").joinpath("static", name).read_text(encoding="utf-8")


def _csp_hash(content: str) -> str:
    digest = hashlib.sha256(content.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _environment() -> jinja2.Environment:
    # autoescape=True for every template: select_autoescape decides by file
    # extension and would leave ``.html.j2`` unescaped.
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("factcheck.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Thousands of pages per run: never look at the template files again.
        auto_reload=False,
    )
    env.globals["symbols"] = STATUS_SYMBOLS
    # Made once here rather than by a macro on each of thousands of pages.
    env.globals["badges"] = {status: Markup(badge) for status, badge in BADGES.items()}
    env.globals["dash"] = Markup(DASH)
    env.filters["thousands"] = lambda n: f"{n:,}"
    return env


def _assets() -> dict[str, Any]:
    css, js = _static("report.css"), _static("report.js")
    # Inlined verbatim, so they must not be able to end their own element.
    if "</" in css or "</" in js:
        raise ValueError("report.css and report.js must not contain '</'")
    csp = (
        f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return {"css": Markup(css), "js": Markup(js), "csp": csp, "generator": GENERATOR}


def _remove_stale(directories: Iterable[Path], keep: set[Path]) -> None:
    """Delete pages an earlier run wrote that this run did not."""
    marker = f'<meta name="generator" content="{GENERATOR}">'.encode()
    for directory in directories:
        if not directory.is_dir():
            continue
        for page in sorted(directory.glob("*.html")):
            if page in keep or not page.is_file():
                continue
            with page.open("rb") as handle:
                head = handle.read(2048)
            if marker in head:
                logger.info("removing stale page %s", page)
                page.unlink()


class _Renderer:
    """Writes the pages of one site.

    Pages are handed to ``writer``, a thread, as they are made: creating
    thousands of files is mostly the system's work, which then runs beside
    the rendering of the next pages instead of after it.
    """

    def __init__(self, site: _Site, out_dir: Path, title: str, writer: Executor):
        self.site = site
        self.out = out_dir
        self.env = _environment()
        self.common = {"title": title, **_assets()}
        self.writer = writer
        self.pending: deque[Future[Path]] = deque()
        self.written: list[Path] = []
        self.folders: set[Path] = set()

    def page(self, template: str, name: str, **values: Any) -> None:
        root = "../" * name.count("/")
        html = self.env.get_template(template).render(**self.common, root=root, **values)
        path = self.out / name
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
        self.pending.append(self.writer.submit(write_if_changed, path, html.encode("utf-8")))
        # A few pages ahead at most, so that pages do not pile up in memory.
        while len(self.pending) > WRITE_AHEAD:
            self.written.append(self.pending.popleft().result())

    def render(self) -> list[Path]:
        site = self.site
        views = [site.group_view(g) for g in site.groups]
        # A group is listed on the page of each of its documents: its item is
        # made once, not once per page. Its item for the lists at the site
        # root is made as each list is: all of them would hold 6 MB for
        # 1,700 groups to save a few hundred macro calls.
        macros = self.env.get_template("_macros.html.j2").module
        for view in views:
            view["item_in_document"] = macros.group_item(view, "../", anchor=True)
        self.views = {v["id"]: v for v in views}
        speaker_pages = self._speaker_pages()
        claim_pages = _pages([site.rows[c.id] for c in site.claims], size=site.page_size)
        figure_pages = _pages(views, size=site.page_size)
        docs = self._documents()
        document_pages = _pages(docs, size=site.page_size)
        self._index(views, docs, len(claim_pages))
        names = _page_names("claims", len(claim_pages))
        for number, rows in enumerate(claim_pages):
            self.page("claims.html.j2", names[number], current="claims", count=len(rows),
                      bodies=bodies([site.cells[row["id"]].listed() for row in rows]),
                      fields=_claim_filters(rows), pages=_pager(names, number), total=len(site.claims))
        names = _page_names("figures", len(figure_pages))
        for number, part in enumerate(figure_pages):
            self.page("figures.html.j2", names[number], current="figures", groups=part,
                      fields=self._figure_filters(part), pages=_pager(names, number), total=len(views))
        names = _page_names("speakers", len(speaker_pages))
        unattributed = sum(1 for row in site.rows.values() if not row["said_by"])
        for number, part in enumerate(speaker_pages):
            # Each page's rows are made for that page alone: made for all
            # pages at once, they held 45 MB for 50,000 claims until the last.
            speakers = [
                {**entry, "body": Markup("".join(site.cells[row["id"]].by_speaker() for row in entry["rows"]))}
                for entry in part
            ]
            self.page("speakers.html.j2", names[number], current="speakers", speakers=speakers,
                      pages=_pager(names, number), total=len(site.speakers),
                      unattributed=unattributed,
                      fields=_claim_filters([r for entry in part for r in entry["rows"]]))
        names = _page_names("documents", len(document_pages))
        for number, part in enumerate(document_pages):
            self.page("documents.html.j2", names[number], current="documents", documents=part,
                      pages=_pager(names, number), total=len(docs),
                      fields=[{"name": "docstatus", "label": "Status", "options": _options(part, "status")},
                               {"name": "outlet", "label": "Outlet", "options": _options(part, "outlet")}])
        self._graph(views)
        for group, view in zip(site.groups, views):
            self._group(group, view)
        for info in site.infos.values():
            self._document(info)
        while self.pending:
            self.written.append(self.pending.popleft().result())
        stale = {self.out, self.out / "documents", self.out / "figures"}
        _remove_stale(sorted(stale), set(self.written))
        return self.written

    def _documents(self) -> list[dict[str, Any]]:
        rows = []
        for doc_id, info in self.site.infos.items():
            claims = self.site.by_doc[doc_id]
            rows.append({
                "info": info,
                "href": info.href,
                "status": info.status,
                "outlet": info.outlet_label,
                "claims": len(claims),
                "reviewed": sum(1 for c in claims if c.review.status != "unreviewed"),
                "conflicted": sum(1 for c in claims if c.id in self.site.conflicted),
            })
        return rows

    def _index(self, views: list[dict[str, Any]], docs: list[dict[str, Any]], claim_pages: int) -> None:
        # Claims gone from their document are no longer work to do.
        claims = [c for c in self.site.claims if not c.missing]
        queues = []
        for key, heading, lede in QUEUES:
            members = [v for v in views if v["queue"] == key]
            queues.append({"key": key, "heading": heading, "lede": lede, "count": len(members),
                           "groups": members[:OVERVIEW_LIMIT] if key != "single" else []})
        reviewed = sum(1 for c in claims if c.review.status != "unreviewed")
        problems = [d for d in docs if d["status"] != "ok"]
        statuses = Counter(d["status"] for d in docs)
        self.page(
            "index.html.j2",
            "index.html",
            current="index",
            counts={
                "documents": len(docs),
                "claims": len(claims),
                "latent": sum(c.latent for c in claims),
                "missing": sum(c.missing for c in self.site.claims),
                "unattributed": sum(1 for c in claims if not self.site.rows[c.id]["said_by"]),
                **Counter(v["status"] for v in views),
            },
            queues=queues,
            reviewed=reviewed,
            percent=round(100 * reviewed / len(claims)) if claims else 0,
            reviews=_review_counts(claims),
            documents=docs if len(docs) <= OVERVIEW_DOCUMENTS else problems,
            all_documents=len(docs) <= OVERVIEW_DOCUMENTS,
            document_statuses=sorted(statuses.items(), key=lambda kv: (kv[0] != "ok", kv[0])),
            claim_pages=claim_pages,
        )

    def _figure_filters(self, views: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        queue_names = {key: heading for key, heading, _ in QUEUES}
        return [
            {"name": "status", "label": "Figure status", "options": [(s, s) for s in STATUS_ORDER if any(v["status"] == s for v in views)]},
            {"name": "queue", "label": "To check", "options": [(k, queue_names[k]) for k in queue_names if any(v["queue"] == k for v in views)]},
            {"name": "kind", "label": "Kind", "options": _options(views, "kind")},
        ]

    def _speaker_pages(self) -> list[list[dict[str, Any]]]:
        """The entries of each page of the speakers list, without their rows' HTML."""
        site = self.site
        rows_of: dict[str, list[dict[str, Any]]] = {key: [] for key in site.speakers}
        for claim in site.claims:
            name = speaker_name(claim)
            if name:
                rows_of[_speaker_key(name)].append(site.rows[claim.id])
        pages = []
        for keys in site.speaker_pages:
            entries = []
            for key in keys:
                speaker, rows = site.speakers[key], rows_of[key]
                entries.append({
                    **speaker,
                    "rows": rows,
                    "documents": len({r["doc_id"] for r in rows}),
                    "outlets": ", ".join(sorted({r["outlet"] for r in rows}, key=str.casefold)),
                    "conflicted": sum(1 for r in rows if r["conflicted"]),
                    "variants": sorted({r["said_by"] for r in rows} - {speaker["name"]}),
                })
            pages.append(entries)
        return pages

    def _graph(self, views: list[dict[str, Any]]) -> None:
        site = self.site
        uses = [
            picture.Use(
                document=row["doc_id"],
                speaker=row["speaker_key"] if row["said_by"] else None,
                group=row["group_id"],
                text=row["text"],
                conflicted=row["conflicted"],
            )
            for row in site.rows.values()
            if row["group_id"]
        ]
        documents = [picture.Item(i.id, i.outlet or i.title, i.href, i.status) for i in site.infos.values()]
        speakers = {k: picture.Item(k, s["name"], s["href"]) for k, s in site.speakers.items()}
        figures = [
            picture.Item(v["id"], v["measure"] + (f" of {v['subject']}" if v["subject"] else ""), v["href"], v["status"])
            for v in views
        ]
        drawing = picture.draw(uses, documents, speakers, figures, symbols=STATUS_SYMBOLS)
        self.page("graph.html.j2", "graph.html", current="graph", picture=drawing)

    def _group(self, group: FigureGroup, view: dict[str, Any]) -> None:
        site = self.site
        present = {c: site.claim_by_id[c] for c in group.claim_ids if c in site.claim_by_id}

        def order(claim_id: str) -> tuple[Any, ...]:
            claim = present.get(claim_id)
            if claim is None:
                return (2, 0.0, "", claim_id)
            low = claim.low if claim.low is not None else claim.value
            number = float(low) if isinstance(low, int | float) and not isinstance(low, bool) else None
            return (0 if number is not None else 1, number or 0.0, site.rows[claim_id]["published"], claim_id)

        rows = [
            unknown_row(claim_id) if claim_id not in present
            else site.cells[claim_id].side_by_side(_in_sentence(present[claim_id]))
            for claim_id in sorted(group.claim_ids, key=order)
        ]
        # Each pair that cannot both hold, gathered around the claim in most
        # pairs: "at least 300 conflicts with 112 (A), 112 (B), ...".
        flagged = [(a, b, relation) for a, b, relation in group.relations if relation != "agrees"]
        counts = Counter(c for a, b, _ in flagged for c in (a, b))
        around: dict[tuple[str, str], list[str]] = {}
        for a, b, relation in flagged:
            first, second = sorted((a, b), key=lambda c: (-counts[c], c))
            around.setdefault((first, relation), []).append(second)

        def mention(claim_id: str) -> str:
            return site.cells[claim_id].mention() if claim_id in present else escape_text(claim_id)

        def id_link(claim_id: str) -> str:
            return site.cells[claim_id].id_link() if claim_id in site.cells else f"<code>{escape_text(claim_id)}</code>"

        pairs = [
            {"claim": Markup(mention(first)), "relation": relation,
             "others": Markup(", ".join(mention(c) for c in others))}
            for (first, relation), others in around.items()
        ]
        self.page(
            "group.html.j2",
            view["href"],
            current="figures",
            group=view,
            rows=Markup("".join(rows)),
            pairs=pairs,
            timeline=[
                {"date": date, "figure": figure, "claims": Markup(", ".join(id_link(c) for c in ids))}
                for date, figure, ids in group.timeline
            ],
            decisions=[{"decision": d.decision, "claims": ", ".join(d.claims), "note": d.note} for d in group.decisions],
        )

    def _document(self, info: _DocInfo) -> None:
        site = self.site
        claims = site.by_doc[info.id]

        def reading_order(claim: Claim) -> tuple[int, int, str]:
            return (1, 0, claim.id) if claim.span is None else (0, claim.span.start, claim.id)

        present = sorted((c for c in claims if not c.missing), key=reading_order)
        missing = sorted((c for c in claims if c.missing), key=lambda c: c.id)
        document = info.document
        article = None
        skipped = {c.id: "the document text is not available" for c in present}
        if document is not None and document.text:
            article, skipped = highlight(document.text, present, document.debris, site.group_of)
        notice = None
        if article is None:
            notice = "The text of this document is not available"
            notice += f" ({info.reason})." if info.reason else "."
            notice += " Its claims are listed below as recorded."
        elif info.status != "ok":
            notice = f"This document is marked “{info.status}”"
            notice += f": {info.reason}." if info.reason else "."
        rows = [site.rows[c.id] for c in present]
        meta = [
            ("Document id", info.id),
            ("Outlet", info.outlet),
            ("Published", info.published),
            ("Status", info.status),
            ("Reason", info.reason),
            ("Address", info.url),
            ("File", info.path),
            ("SHA-256", info.sha256),
        ]
        self.page(
            "document.html.j2",
            info.href,
            current="documents",
            info=info,
            meta=[(label, value) for label, value in meta if value],
            warnings=info.warnings,
            notice=notice,
            article=article,
            claims=len(present),
            bodies=bodies([site.cells[c.id].in_document(skipped.get(c.id)) for c in present]),
            missing_bodies=bodies([site.cells[c.id].in_document() for c in missing]),
            counts=Counter(r["status"] for r in rows),
            groups=[self.views[g] for g in dict.fromkeys(r["group_id"] for r in sorted(rows, key=_by_group)) if g],
            reviewed=sum(1 for r in rows if r["review"] != "unreviewed"),
        )


def render_report(
    claimset: ClaimSet,
    documents: Mapping[str, Document],
    groups: Sequence[FigureGroup],
    out_dir: Path,
    *,
    title: str = "factcheck report",
    page_size: int = PAGE_SIZE,
) -> list[Path]:
    """Write the report site into ``out_dir`` and return its pages.

    Same inputs give byte-identical files; a page whose bytes are already
    right is not written again (see ``write_if_changed``). ``documents`` maps a
    document id to its ingested text; a source without one gets a page with
    its metadata and recorded claims only. Lists longer than ``page_size``
    rows are cut into several pages.
    """
    site = _Site(claimset, documents, groups, page_size)
    # Leaving the block waits for every page handed to the writer, also when
    # rendering fails: each is written whole or not at all.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="factcheck-report-writer") as writer:
        return _Renderer(site, Path(out_dir), title, writer).render()
