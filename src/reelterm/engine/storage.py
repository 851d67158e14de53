"""Disk trouble in the data directory (full, read-only, gone) told as one sentence, never a traceback."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import time
from pathlib import Path
from typing import BinaryIO

FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
"""OS errors that mean there is no room left to write."""
DISK_FULL = "The engine's disk is full, so nothing was saved. Free some space, then try again."
STALE_TEMP_S = 6 * 3600
"""Temp files older than this in `tmp/` are left over from a crash and removed at start."""


class StorageError(Exception):
    """Writing to the data directory failed; `str()` is a sentence, `full` tells a full disk apart."""

    def __init__(self, sentence: str, full: bool = False) -> None:
        super().__init__(sentence)
        self.full = full


class DataDirError(RuntimeError):
    """The data directory cannot be used at start; `str()` is a sentence for the user."""


def is_disk_full(exc: BaseException) -> bool:
    """True for an OS error or SQLite error that means the disk (or quota) is full."""
    if isinstance(exc, OSError) and exc.errno in FULL_ERRNOS:
        return True
    if isinstance(exc, sqlite3.Error):
        return "full" in str(exc).lower() or getattr(exc, "sqlite_errorcode", None) == 13
    return "No space left on device" in str(exc)


def storage_error(exc: BaseException, what: str) -> StorageError:
    """The sentence for a failed write of `what` (e.g. "the upload")."""
    if is_disk_full(exc):
        return StorageError(f"The engine's disk is full, so {what} was not saved. Free some space, "
                            "then try again.", full=True)
    reason = (exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__).lower()
    return StorageError(f"The engine could not write {what} to its data directory ({reason}).")


SUBDIRS = ("uploads", "renders", "assets", "tmp", "cache")
"""The engine's folders inside its data directory, each private (0700)."""


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) and make it 0700 even when it already existed."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.stat(path).st_mode & 0o077:
        os.chmod(path, 0o700)
    return path


def open_private(path: Path) -> BinaryIO:
    """A new file open for writing, readable by its owner only (0600 whatever the umask)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    return os.fdopen(fd, "wb")


def prepare_data_dir(root: Path, subdirs: tuple[str, ...] = SUBDIRS) -> None:
    """Create the data directory and check that it can be written; raises `DataDirError`.

    A new data directory is made 0700; the engine's own folders in it are 0700 and its database
    files 0600 even in a data directory that already exists with a wider mode.
    """
    root = Path(root)
    hint = "Fix its permissions or free some space, or choose another data directory (--data-dir)."
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        for name in subdirs:
            private_dir(root / name)
        probe = root / "tmp" / f".write-check-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise DataDirError(f"The data directory {root} cannot be written ({reason}). {hint}") from None
    db = root / "engine.sqlite3"
    if db.exists() and (not db.is_file() or not os.access(db, os.R_OK | os.W_OK)):
        raise DataDirError(f"The database {db} cannot be opened for writing. {hint}")


def sweep_stale_temp(tmp_dir: Path, older_than_s: float = STALE_TEMP_S) -> None:
    """Delete uploads in flight left behind by a crash (old `*.part` files in `tmp/`)."""
    cutoff = time.time() - older_than_s
    for path in tmp_dir.glob("*.part"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()
