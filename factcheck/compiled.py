"""Regexes kept on disk as the compiler's output, so a process need not compile them.

Python parses and compiles a regex in Python code. Besides the rules (see
``rules.cache``), the modules on the way to ``factcheck extract`` define
some forty fixed regexes of their own, and compiling those was 7% of its
start. ``cached_regex`` keeps them in a small table in the cache folder,
keyed by pattern and flags, and has the regex engine rebuild each one from
its compiled form. A pattern missing from the table is compiled as
``re.compile`` would, and the table is written again when the process ends.
The rules stage keeps its compiled rules in the same folder, in the same
form (``compiled_form``).

What a pattern compiles to depends only on the pattern, its flags and the
Python build, so the table's name is a digest of the build and the regex
engine. A table that cannot be read or written is passed over: it only
ever saves time.
"""

from __future__ import annotations

import _sre
import array
import atexit
import contextlib
import io
import os
import re
import sys
import zlib
from pathlib import Path
from typing import Any, Callable

try:
    from _pickle import Pickler, load
except ImportError:  # a Python without the C pickler
    from pickle import Pickler, load  # type: ignore[assignment]

ENVIRONMENT_VARIABLE = "FACTCHECK_RULES_CACHE"
# The array type whose items are the size of the regex engine's code words.
CODE_TYPE = next(kind for kind in "ILQ" if array.array(kind).itemsize == _sre.CODESIZE)
_BUILD = f"{sys.version}\0{_sre.MAGIC}".encode()
_TABLE_NAME = f"regexes-{zlib.crc32(_BUILD):08x}.pickle"
_LONGEST_TABLE = 1000  # patterns; more, and the table keeps only this process's

_table: dict[tuple[str, int], tuple[Any, ...]] | None = None
_used: dict[tuple[str, int], tuple[Any, ...]] = {}
_missed = False


def cache_folder() -> Path | None:
    """Where compiled rules and regexes are kept, or None when caching is off."""
    chosen = os.environ.get(ENVIRONMENT_VARIABLE, "")
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen)
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "factcheck"
    try:
        return Path.home() / ".cache" / "factcheck"
    except RuntimeError:  # no home folder to be found: run without a cache
        return None


def cached_regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, taken from the table when it holds it."""
    global _missed
    key = (pattern, int(flags))
    form = _loaded().get(key)
    if form is not None:
        with contextlib.suppress(Exception):  # a damaged entry is only a miss
            compiled = rebuilt(*form)
            _used[key] = form
            return compiled
    compiled = re.compile(pattern, flags)
    with contextlib.suppress(Exception):  # a Python whose regex compiler differs: no table
        _used[key] = compiled_form(compiled)[1]
        if not _missed:
            _missed = True
            atexit.register(_save)
    return compiled


def compiled_form(pattern: re.Pattern[str]) -> tuple[Callable[..., re.Pattern[str]], tuple[Any, ...]]:
    """``pattern`` as ``rebuilt`` and its arguments: the pickler's reduction."""
    # re.compile's own steps, stopped before the last: the arguments it hands
    # the engine, which the engine takes again when they are read back.
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern.pattern, pattern.flags)
    code = [int(op) for op in _compiler._code(parsed, pattern.flags)]
    groups = parsed.state.groupdict
    names: list[str | None] = [None] * parsed.state.groups
    for name, index in groups.items():
        names[index] = name
    flags = pattern.flags | parsed.state.flags
    # As bytes: a quarter of a million small ints, pickled one by one, took
    # half the loading time of the rules.
    packed = array.array(CODE_TYPE, code).tobytes()
    return rebuilt, (pattern.pattern, flags, packed, parsed.state.groups - 1, dict(groups), tuple(names))


def rebuilt(
    source: str, flags: int, packed: bytes, groups: int, names: dict[str, int], indexes: tuple[str | None, ...]
) -> re.Pattern[str]:
    """The regex ``compiled_form`` describes, from the regex engine itself."""
    code = array.array(CODE_TYPE, packed).tolist()
    return _sre.compile(source, flags, code, groups, names, indexes)


def _loaded() -> dict[tuple[str, int], tuple[Any, ...]]:
    global _table
    if _table is None:
        _table = {}
        folder = cache_folder()
        if folder is not None:
            with contextlib.suppress(Exception):  # missing or unreadable: compile as usual
                with (folder / _TABLE_NAME).open("rb") as handle:
                    found = load(handle)
                if isinstance(found, dict):
                    _table = found
    return _table


def _save() -> None:
    folder = cache_folder()
    if folder is None:
        return
    table = {**(_table or {}), **_used}
    if len(table) > _LONGEST_TABLE:
        table = dict(_used)
    buffer = io.BytesIO()
    try:
        Pickler(buffer, protocol=-1).dump(table)
    except Exception:  # noqa: BLE001 - nothing worth keeping
        return
    # Imported here: only a process that compiled a regex writes the table.
    from factcheck.files import write_atomically

    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / _TABLE_NAME, buffer.getvalue())
