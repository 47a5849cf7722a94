"""Find the article files to scan and give each a document id."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

from factcheck.ingest.errors import IngestError

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", *HTML_SUFFIXES)
# Larger inputs are refused rather than read: no article is this long, and a
# multi-gigabyte file given by mistake would exhaust memory.
MAX_INPUT_BYTES = 10 * 1024 * 1024


def find_inputs(paths: Sequence[str | Path]) -> list[Path]:
    """The article files named by ``paths``, sorted by their posix path.

    A file is taken whatever its extension; a directory is searched
    recursively for ``ARTICLE_SUFFIXES`` files, skipping hidden files and
    directories. A file reached twice is listed once. Raises ``IngestError``
    for a path that does not exist.

    >>> find_inputs(["no-such-dir"])
    Traceback (most recent call last):
    ...
    factcheck.ingest.errors.IngestError: no-such-dir: no such file or directory
    """
    found: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.update(_articles_under(path))
        elif path.exists():
            found.add(path)
        else:
            raise IngestError(f"{path}: no such file or directory")
    return sorted(found, key=Path.as_posix)


def _articles_under(root: Path) -> Iterator[Path]:
    for folder, subfolders, names in os.walk(root):
        # Pruning in place stops os.walk from descending into hidden folders
        # (.git, .venv) at all.
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            if not name.startswith(".") and Path(name).suffix.lower() in ARTICLE_SUFFIXES:
                yield Path(folder) / name


def make_doc_id(path: str | Path, taken: set[str]) -> str:
    """A slug of the file's stem ([a-z0-9-]), made unique against ``taken``
    with a ``-2``, ``-3``, ... suffix; the id returned is added to ``taken``.

    >>> taken = set()
    >>> make_doc_id("seeds/us-russia-syria-geneva.txt", taken)
    'us-russia-syria-geneva'
    >>> make_doc_id("copies/US Russia Syria Geneva.md", taken)
    'us-russia-syria-geneva-2'
    """
    # NFKD splits "è" into "e" and an accent, so "Genève" becomes "geneve"
    # rather than "gen-ve".
    plain = unicodedata.normalize("NFKD", Path(path).stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "doc"
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate
