"""Claim rows as HTML, for the lists that show every claim.

Each claim is a row on four pages: the claims list, its document's table,
its speaker's entry and its figure's side-by-side table; a large story has
tens of thousands of them. Rendered through a template macro those rows
cost more than the rest of the report together, so each claim's fields are
escaped once here and every row is assembled from them with f-strings, as
the highlighted marks are in ``text.py``. The tables around the rows (their
headers and captions) stay in the templates; the cells here follow their
columns, which ``_macros.html.j2`` and the page templates name.

Everything taken from a claim passes through ``escape_text`` exactly once;
the rows are plain strings, and only ``bodies`` makes them ``Markup``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from factcheck.report.text import STATUS_SYMBOLS, escape_text

# Rows in each <tbody> of a long table.
BODY_ROWS = 100
DASH = '<span class="none">—</span>'
BADGES = {
    status: f'<span class="badge status-{status}">'
    f'<span class="symbol" aria-hidden="true">{symbol}</span> {status}</span>'
    for status, symbol in STATUS_SYMBOLS.items()
}
_CONFLICTS = (
    ' <span class="badge status-conflict" title="in a pair that cannot both hold">'
    '<span class="symbol" aria-hidden="true">✕</span> conflicts</span>'
)


class SharedText(dict[str, str]):
    """Text escaped once however many claims repeat it: outlets, titles,
    speakers, measures, statuses; and the markup made of it, kept once
    (``once``). One for the rows of one report."""

    def __init__(self) -> None:
        super().__init__()
        self._markup: dict[str, str] = {}

    def __missing__(self, text: str) -> str:
        self[text] = escaped = escape_text(text)
        return escaped

    def once(self, markup: str) -> str:
        """``markup``, already HTML, kept once however many claims make it
        (a document's cell, a review's badge): the cells of a large story
        would otherwise hold tens of thousands of copies. Kept apart from
        the escaped texts, since markup must never be taken for text."""
        return self._markup.setdefault(markup, markup)


class ClaimCells:
    """One claim's fields, escaped once, and the rows each list makes of them.

    ``row`` is the claim as the report sees it (see ``render._Site._row``);
    hrefs in it are relative to the site root, and ``root`` ("" or "../")
    leads there from the page the row is written on. ``shared`` escapes the
    values that many claims share and keeps one copy of the markup they make.
    """

    __slots__ = (
        "_id", "_text", "_href", "_data", "_group_id", "_latent", "_status", "_group_href", "_doc", "_speaker",
        "_speaker_href", "_review", "_kind", "_value", "_measure", "_published", "_sentence", "_interval",
        "_unit", "_cue", "_rule", "_note", "_missing", "_conflicted", "_outlet",
    )

    def __init__(self, row: Mapping[str, Any], shared: SharedText) -> None:
        # row["status"] is one of STATUS_SYMBOLS (text.group_status), safe as it is.
        self._id = escape_text(row["id"])
        self._text = escape_text(row["text"])
        self._href = escape_text(row["href"])
        outlet = shared[row["outlet"]]
        # Without the claim's own id, so that claims alike share one copy.
        self._data = shared.once(
            f'data-status="{row["status"]}" data-review="{shared[row["review"]]}"'
            f' data-kind="{shared[row["kind"]]}" data-speaker="{shared[row["speaker_key"]]}"'
            f' data-outlet="{outlet}"'
        )
        self._group_id = shared[row["group_id"]]
        self._status = row["status"]
        self._latent = row["latent"]
        self._group_href = shared[row["group_href"]] if row["group_href"] else ""
        self._doc = shared.once(f'{shared[row["doc_href"]]}">{shared[row["doc_title"]]}</a><br><small>{outlet}')
        self._speaker = shared[row["said_by"]]
        self._speaker_href = shared[row["speaker_href"]] if row["said_by"] and row["speaker_href"] else ""
        self._review = shared.once(
            f'<span class="review review-{shared[row["review_class"]]}">{shared[row["review"]]}</span>'
        )
        self._kind = shared[row["kind"]]
        self._value = shared[row["value"]]
        self._measure = shared[row["measure"]] or DASH
        self._published = shared[row["published"]]
        self._sentence = escape_text(row["sentence"])
        self._interval = shared[row["interval"]]
        self._unit = shared[row["unit"]]
        self._cue = shared[row["cue"]]
        self._rule = shared[row["rule"]]
        self._note = escape_text(row["note"])
        self._missing = row["missing"]
        self._conflicted = row["conflicted"]
        self._outlet = outlet

    def _group(self, root: str) -> str:
        if self._group_href:
            return f'<a href="{root}{self._group_href}">{BADGES[self._status]}</a>'
        return BADGES[self._status]

    def _said_by(self, root: str) -> str:
        if not self._speaker:
            return '<span class="none">no speaker named</span>'
        if self._speaker_href:
            return f'<a href="{root}{self._speaker_href}">{self._speaker}</a>'
        return self._speaker

    def _table_row(self, root: str, document: bool, figure: str, anchor: bool) -> str:
        anchored = f' id="{self._id}"' if anchor else ""
        latent = " latent" if self._latent else ""
        cell = f'<td data-field="document"><a href="{root}{self._doc}</small></td>' if document else ""
        rule = f"<code>{self._rule}</code>" if self._rule else DASH
        return (
            f'<tr data-claim="{self._id}" {self._data} data-group="{self._group_id}"{anchored}'
            f' class="status-{self._status}{latent}">\n'
            f'{cell}<td data-field="figure">{figure}</td>\n'
            f'<td data-field="group">{self._group(root)}</td>\n'
            f'<td data-field="kind">{self._kind}</td>\n'
            f'<td data-field="value" class="num">{self._value or DASH}</td>\n'
            f'<td data-field="interval" class="num">{self._interval}</td>\n'
            f'<td data-field="unit">{self._unit or DASH}</td>\n'
            f'<td data-field="measure">{self._measure}</td>\n'
            f'<td data-field="said_by">{self._said_by(root)}</td>\n'
            f'<td data-field="cue">{self._cue or DASH}</td>\n'
            f'<td data-field="rule">{rule}</td>\n'
            f'<td data-field="review">{self._review}</td>\n'
            f'<td data-field="note">{self._note or DASH}</td>\n'
            f'<td data-field="id"><code>{self._id}</code></td>\n'
            "</tr>\n"
        )

    def listed(self) -> str:
        """The row of the claims list, a page at the site root."""
        if self._missing:
            figure = f'{self._text}<br><small class="why">No longer in the document.</small>'
        else:
            figure = f'<a href="{self._href}">{self._text}</a>'
        return self._table_row("", True, figure, False)

    def in_document(self, why_not_shown: str | None = None) -> str:
        """The row of its document's table: it links to its highlight, or is
        itself the claim's anchor when it has none (``why_not_shown`` says why)."""
        anchor = self._missing or why_not_shown is not None
        if self._missing:
            figure = f'{self._text}<br><small class="why">No longer in the document.</small>'
        elif anchor:
            figure = self._text
        else:
            figure = f'<a href="#{self._id}">{self._text}</a>'
        if why_not_shown:
            figure += f'<br><small class="why">Not highlighted: {escape_text(why_not_shown)}.</small>'
        return self._table_row("../", False, figure, anchor)

    def by_speaker(self) -> str:
        """The row of the speakers list, a page at the site root."""
        published = f", {self._published}" if self._published else ""
        return (
            f'<tr data-claim="{self._id}" {self._data}>\n'
            f'<td><a href="{self._href}">{self._text}</a></td>\n'
            f"<td>{self._measure}</td>\n"
            f"<td>{self._group('')}</td>\n"
            f'<td><a href="{self._doc}{published}</small></td>\n'
            f'<td class="sentence">{self._sentence}</td>\n'
            f"<td>{self._review}</td>\n"
            "</tr>\n"
        )

    def mention(self) -> str:
        """The claim named on its figure's page: figure and outlet, linked to
        its place in its article."""
        return f'<a href="../{self._href}">{" ".join(self._text.split())} ({self._outlet})</a>'

    def id_link(self) -> str:
        """The claim's id, linked to its place in its article, from a page in ``figures/``."""
        return f'<a href="../{self._href}"><code>{self._id}</code></a>'

    def side_by_side(self, wording: str) -> str:
        """The row of its figure's page (in ``figures/``); ``wording`` is the
        sentence with the figure in bold, as HTML."""
        unit = f" {self._unit}" if self._unit else ""
        note = f"<br><small>{self._note}</small>" if self._note else ""
        marked = ' class="conflicted"' if self._conflicted else ""
        conflicts = _CONFLICTS if self._conflicted else ""
        return (
            f'<tr data-claim="{self._id}"{marked}>\n'
            f'<td><a href="../{self._doc}</small></td>\n'
            f"<td>{self._published or DASH}</td>\n"
            f"<td>{self._said_by('../')}</td>\n"
            f'<td><a href="../{self._href}">{self._text}</a>{conflicts}</td>\n'
            f'<td class="num">{self._interval}{unit}</td>\n'
            f'<td class="sentence">{wording}</td>\n'
            f"<td>{self._review}{note}</td>\n"
            f"<td><code>{self._id}</code></td>\n"
            "</tr>\n"
        )


def unknown_row(claim_id: str) -> str:
    """The side-by-side row of a claim a figure group names but the claim set lacks."""
    return f'<tr><td colspan="8">Claim <code>{escape_text(claim_id)}</code> is not in the claim set.</td></tr>\n'


def bodies(rows: Sequence[str], size: int = BODY_ROWS) -> list[Markup]:
    """``rows`` as the bodies of a table, ``size`` rows each, every body one
    piece of markup: the browser lays out each ``<tbody>`` apart (see
    ``content-visibility`` in report.css)."""
    return [Markup("".join(rows[at : at + size])) for at in range(0, len(rows), size)]
