"""Writing files atomically, so that readers see the old bytes or the new,
never half; and output files that people keep in git or serve, readable by
all and not written at all when they already hold the bytes to be written."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def holds(path: Path, content: bytes) -> bool:
    """Whether ``path`` is a plain file holding exactly ``content``."""
    try:
        # Not through a symbolic link, which writing would replace; and not
        # waiting on a named pipe, which is no output file either.
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    with open(handle, "rb") as file:
        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode) or found.st_size != len(content):
            return False
        return file.read() == content


def write_if_changed(path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` atomically (readers see old or new, never
    half), mode 644. A file that already holds exactly ``content`` is left
    alone, its time too, so that writing again changes only what changed.
    The folder must exist."""
    if not holds(path, content):
        # Temporary files are private; these files are meant to be read by others.
        write_atomically(path, content, mode=0o644)
    return path


def write_atomically(path: Path, content: bytes, *, mode: int = 0o600) -> None:
    """Replace ``path`` with ``content`` in one step, the file getting
    ``mode``. The folder must exist."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(handle, "wb") as file:
            os.fchmod(file.fileno(), mode)
            file.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
