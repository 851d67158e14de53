"""What must survive a restart: the last session and unfinished renders, per backend, as JSON."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reelterm.config import AppPaths
from reelterm.config.files import write_private

if sys.platform != "win32":  # POSIX only; on Windows a single writer is assumed
    import fcntl

JOURNAL_NAME = "worker.json"
"""The file under the state dir."""
HISTORY_LIMIT = 50
"""How many finished renders are remembered for `reelterm renders`."""
UPLOADS_LIMIT = 500
"""How many uploads' local files are remembered (for previews in later runs)."""


@dataclass
class RenderRecord:
    """One render reelterm submitted: enough to resume polling and to name the file."""

    id: str
    session_id: str
    fmt: str = "mp4"
    quality: str = "high"
    title: str = ""
    dest: str | None = None
    """Where the user asked the file to go (`-o`), else None for the export dir."""
    submitted_at: float = field(default_factory=time.time)
    status: str = "pending"
    path: str | None = None
    """The downloaded file, once done."""
    finished_at: float | None = None
    error: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RenderRecord:
        """Read a record, ignoring keys this version does not know."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


class Journal:
    """The worker's persistent memory for one backend (`local` or a base URL)."""

    def __init__(self, paths: AppPaths, backend_key: str) -> None:
        self.file = paths.state_dir / JOURNAL_NAME
        self.backend_key = backend_key

    # ---- reading and writing ---------------------------------------------------------------

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"version": 1, "backends": {}}
        if not isinstance(data, dict) or not isinstance(data.get("backends"), dict):
            return {"version": 1, "backends": {}}
        return data

    def _mine(self, data: dict[str, Any]) -> dict[str, Any]:
        entry: Any = data["backends"].setdefault(self.backend_key, {})
        if not isinstance(entry, dict):
            entry = data["backends"][self.backend_key] = {}
        if not isinstance(entry.get("renders"), dict):
            entry["renders"] = {}
        if not isinstance(entry.get("history"), list):
            entry["history"] = []
        mine: dict[str, Any] = entry
        return mine

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if sys.platform == "win32":
            yield
        else:
            with open(self.file.with_suffix(".lock"), "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)

    def _write(self, data: dict[str, Any]) -> None:
        write_private(self.file, json.dumps(data, indent=2, sort_keys=True).encode("utf-8"))

    def _update(self, change: Callable[[dict[str, Any]], None]) -> None:
        with self._locked():
            data = self._read()
            change(self._mine(data))
            self._write(data)

    # ---- the session ---------------------------------------------------------------------

    def session_id(self) -> str | None:
        """The session used last on this backend, if any."""
        sid = self._read()["backends"].get(self.backend_key, {})
        value = sid.get("session_id") if isinstance(sid, dict) else None
        return value if isinstance(value, str) and value else None

    def set_session(self, session_id: str) -> None:
        """Remember the session in use."""
        self._update(lambda entry: entry.__setitem__("session_id", session_id))

    # ---- renders ----------------------------------------------------------------------------

    def add_render(self, record: RenderRecord) -> None:
        """Remember a submitted render until it is finished and downloaded."""
        self._update(lambda entry: entry["renders"].__setitem__(record.id, asdict(record)))

    def pending(self) -> list[RenderRecord]:
        """Renders submitted but not yet downloaded (oldest first)."""
        entry = self._read()["backends"].get(self.backend_key, {})
        renders = entry.get("renders", {}) if isinstance(entry, dict) else {}
        records = []
        for value in renders.values() if isinstance(renders, dict) else []:
            with contextlib.suppress(TypeError, ValueError):
                records.append(RenderRecord.from_dict(value))
        return sorted(records, key=lambda r: r.submitted_at)

    def finish_render(self, render_id: str, status: str, path: Path | None = None,
                      error: str | None = None) -> None:
        """Move a render from the pending list to the history."""

        def change(entry: dict[str, Any]) -> None:
            raw = entry["renders"].pop(render_id, None) or {"id": render_id, "session_id": ""}
            record = RenderRecord.from_dict(raw)
            record.status, record.error = status, error
            record.path = str(path) if path else None
            record.finished_at = time.time()
            entry["history"] = ([asdict(record)] + entry["history"])[:HISTORY_LIMIT]

        self._update(change)

    def history(self) -> list[RenderRecord]:
        """Finished renders, newest first."""
        entry = self._read()["backends"].get(self.backend_key, {})
        items = entry.get("history", []) if isinstance(entry, dict) else []
        out = []
        for value in items if isinstance(items, list) else []:
            with contextlib.suppress(TypeError, ValueError):
                out.append(RenderRecord.from_dict(value))
        return out

    # ---- local copies of uploads -------------------------------------------------------------

    def remember_uploads(self, local: dict[str, str]) -> None:
        """Remember the local file behind each `upload:ID` (newest last, at most `UPLOADS_LIMIT`)."""
        if not local:
            return

        def change(entry: dict[str, Any]) -> None:
            stored = entry.get("uploads")
            known: dict[str, Any] = stored if isinstance(stored, dict) else {}
            for ref in local:
                known.pop(ref, None)
            known.update(local)
            entry["uploads"] = dict(list(known.items())[-UPLOADS_LIMIT:])

        self._update(change)

    def local_copies(self) -> dict[str, str]:
        """`upload:ID` -> local file, for the uploads whose file is still there."""
        entry = self._read()["backends"].get(self.backend_key, {})
        known = entry.get("uploads") if isinstance(entry, dict) else None
        if not isinstance(known, dict):
            return {}
        # os.path.isfile never raises: an unreadable or stale mount is simply not a local copy
        return {ref: path for ref, path in known.items()
                if isinstance(ref, str) and isinstance(path, str) and os.path.isfile(path)}
