"""Cache files (text PNGs, lanes, gradient strips, loudness memos): whole or absent, never half."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path


def write_cached(path: Path, write: Callable[[Path], object]) -> Path:
    """Let `write(tmp)` fill a temp name unique to this process and thread, then move it to `path`.

    Concurrent renders making the same cache file each write their own temp file; the last
    rename wins with identical content. A failed write leaves no temp file behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path
