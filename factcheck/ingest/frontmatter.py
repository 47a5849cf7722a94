"""Markdown front matter: a leading ``---`` ... ``---`` block of YAML metadata."""

from __future__ import annotations

import datetime as dt
import re

import yaml

from factcheck.model import Span, datatype

# The block opens on the very first line and closes at the next line that is
# only "---" (or YAML's "..."), as static site generators read it.
_BLOCK = re.compile(
    r"\A---[ \t]*\r?\n(?P<yaml>.*?)^(?P<close>---|\.\.\.)[ \t]*\r?$",
    re.DOTALL | re.MULTILINE,
)
FIELDS = ("title", "outlet", "published", "url")


@datatype(frozen=True)
class FrontMatter:
    """What a front matter block gives a document.

    ``span`` covers the block from the opening to the closing delimiter; it
    is None when there is no block or it could not be read (the document is
    then read as plain text, and ``warnings`` says why).
    """

    span: Span | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    warnings: tuple[str, ...] = ()


def read_front_matter(text: str, where: str) -> FrontMatter:
    """Read the front matter at the start of ``text``; ``where`` names the
    file in warnings. Keys other than ``FIELDS`` (such as ``author``) are
    ignored.

    >>> text = "---\\ntitle: US-Russia deal\\npublished: 2016-09-09\\n---\\nKerry met Lavrov."
    >>> front = read_front_matter(text, "a.md")
    >>> front.title, front.published, front.span
    ('US-Russia deal', '2016-09-09', Span(start=0, end=51))
    """
    block = _BLOCK.match(text)
    if block is None:
        return FrontMatter()
    try:
        data = yaml.safe_load(block.group("yaml"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        # The YAML starts on the file's second line; marks count from 0.
        line = mark.line + 2 if mark else 1
        problem = getattr(err, "problem", None) or "not YAML"
        warning = f"{where}:{line}: bad front matter ({problem}), read as plain text"
        return FrontMatter(warnings=(warning,))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        warning = f"{where}:1: front matter is not a mapping, read as plain text"
        return FrontMatter(warnings=(warning,))
    published, warnings = _iso_date(data.get("published"), where)
    return FrontMatter(
        span=Span(0, block.end("close")),
        title=_text(data.get("title")),
        outlet=_text(data.get("outlet")),
        published=published,
        url=_text(data.get("url")),
        warnings=warnings,
    )


def _text(value: object) -> str | None:
    if value is None:
        return None
    return str(value).strip() or None


def _iso_date(value: object, where: str) -> tuple[str | None, tuple[str, ...]]:
    """An ISO date string from a YAML date, datetime or string."""
    if value is None:
        return None, ()
    # datetime is a subclass of date, so it is tested first.
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), ()
    if isinstance(value, dt.date):
        return value.isoformat(), ()
    if isinstance(value, str):
        for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
            try:
                parsed = parse(value.strip())
            except ValueError:
                continue
            day = parsed.date() if isinstance(parsed, dt.datetime) else parsed
            return day.isoformat(), ()
    return None, (f"{where}: front matter 'published' is not an ISO date: {value!r}",)
