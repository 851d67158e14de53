"""Private files: written whole or not at all, readable by their owner only."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` atomically with `data`: mode 0600, fsynced, in a folder made with mode 0700.

    A crash leaves the old file or the new one, never half of either; the temporary file is
    created 0600 (never world-readable for a moment) beside `path` and removed on any failure.
    """
    path = Path(os.path.realpath(path))  # a symlinked file (dotfiles) is updated where it lives
    directory = path.parent
    if not directory.exists():
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
