"""Compiled rules kept on disk, so that a process starts without compiling them.

Compiling the rules' regular expressions is most of what ``factcheck
extract`` does before it reads a word: Python parses and compiles regexes in
Python code, and the rules' word classes make them long. The compiled
``Matcher`` is therefore pickled, each regex stored as the pattern compiler's
output, which Python's regex engine takes back directly.

The file's name is a digest of everything that could change what it holds:
the exact Python build and regex engine, factcheck's version and the source
of the rules stage, and the name and bytes of every rule file. A file that
cannot be read or written is passed over and the rules are compiled as
before: the cache only ever saves time.

The folder is ``$FACTCHECK_RULES_CACHE``, else ``$XDG_CACHE_HOME/factcheck``,
else ``~/.cache/factcheck``; ``FACTCHECK_RULES_CACHE=off`` turns it off.
"""

from __future__ import annotations

import _sre
import contextlib
import io
import re
import sys
import zlib
from pathlib import Path
from typing import Any, Callable

from factcheck import __version__
from factcheck.compiled import cache_folder, compiled_form
from factcheck.rules.engine import Matcher, compile_rules
from factcheck.rules.loader import load_rules, rule_files

# pickle's C half alone: the ``pickle`` module also defines its pure-Python
# pickler, whose classes' dispatch tables cost a short run as much again as
# unpickling the rules.
try:
    from _pickle import Pickler, load
except ImportError:  # a Python without the C pickler
    from pickle import Pickler, load  # type: ignore[assignment]

_PREFIX = "rules-"
_KEEP = 8  # cache files kept: one per set of rule files recently used
# The modules whose classes and code a pickled Matcher depends on.
_SOURCES = (
    "model.py",
    "rules/definitions.py",
    "rules/engine.py",
    "rules/prefilter.py",
    "rules/loader.py",
    "rules/cache.py",
    "compiled.py",
)


def load_matcher(extra: list[str | Path] | tuple[str | Path, ...] = (), *, ureg: Any = None) -> Matcher:
    """The shipped rules plus a user's rule files, compiled: ``compile_rules(
    load_rules(extra, ureg=ureg))``, from the cache when it holds them."""
    return cached_matcher(rule_files(extra), lambda: compile_rules(load_rules(extra, ureg=ureg)))


def cached_matcher(files: list[Path], compile_all: Callable[[], Matcher]) -> Matcher:
    """The compiled rules of ``files`` (``rule_files()``: absolute, in load order):
    from the cache when it holds them, else from ``compile_all()``, which is
    then saved for the next process."""
    folder = cache_folder()
    if folder is None:
        return compile_all()
    try:
        path = folder / f"{_PREFIX}{_digest(files)}.pickle"
    except OSError:
        return compile_all()  # a rule file went missing: let the loader say so
    try:
        with path.open("rb") as handle:
            matcher = load(handle)
        if isinstance(matcher, Matcher):
            return matcher
    except Exception:  # noqa: BLE001 - a cache that cannot be read is only a miss
        pass
    matcher = compile_all()
    _save(matcher, path)
    return matcher


def _digest(files: list[Path]) -> str:
    parts = [part.encode() + b"\0" for part in (sys.version, str(_sre.MAGIC), __version__)]
    package = Path(__file__).resolve().parents[1]
    parts.extend((package / name).read_bytes() + b"\0" for name in _SOURCES)
    # Each file by its absolute path, never as the messages name it
    # (relative to the working folder): a run from another folder is a hit.
    parts.extend(str(path).encode() + b"\0" + path.read_bytes() + b"\0" for path in files)
    # Checksums, not a cryptographic hash: the name tells versions of the
    # rules apart and guards against no adversary, and hashlib loads OpenSSL,
    # which cost a short run more than the rest of reading the cache.
    crc, adler, length = 0, 1, 0
    for part in parts:
        crc, adler, length = zlib.crc32(part, crc), zlib.adler32(part, adler), length + len(part)
    return f"{crc:08x}{adler:08x}{length:x}"


def _save(matcher: Matcher, path: Path) -> None:
    buffer = io.BytesIO()
    try:
        _RegexPickler(buffer, protocol=-1).dump(matcher)  # -1: the highest protocol
    except Exception:  # noqa: BLE001 - a Python whose regex compiler differs: no cache
        return
    # Imported here: only a process that compiles the rules writes them.
    from factcheck.files import write_atomically

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, buffer.getvalue())
        _prune(path.parent)


def _prune(folder: Path) -> None:
    files = sorted(folder.glob(f"{_PREFIX}*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[_KEEP:]:
        old.unlink()


class _RegexPickler(Pickler):
    """Stores a compiled regex as the compiler's output, not its source, so
    that loading it skips Python's regex parser and compiler."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, re.Pattern):
            return compiled_form(obj)
        return NotImplemented
