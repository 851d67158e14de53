"""Uploads: check every file first, then send files one by one (with progress) and web addresses."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

from reelterm.client import NemoClient, ReelError, check_upload
from reelterm.protocol import UploadResult
from reelterm.worker.errors import error_event, not_connected
from reelterm.worker.events import Emit, ErrorRaised, UploadDone, UploadProgress
from reelterm.worker.journal import Journal
from reelterm.worker.paths import is_url, local_path
from reelterm.worker.sessions import Sessions
from reelterm.worker.state_cache import StateCache


def check_files(paths: Sequence[Path], accepted: tuple[str, ...]) -> ErrorRaised | None:
    """The error for the first file that is missing or that the backend would refuse, else None."""
    for path in paths:
        if not path.exists():
            return ErrorRaised(f"There is no file at {path}.", "Check the path and try again.",
                               bad_input=True, detail={"kind": "FileNotFound"})
        try:
            check_upload(path, accepted)
        except ReelError as exc:  # a folder, an empty file, a type or size the backend refuses
            return replace(error_event(exc), bad_input=True)
    return None


class Uploader:
    """Uploads local files and web addresses to the session in use; remembers each file's local copy."""

    def __init__(self, client: NemoClient, sessions: Sessions, cache: StateCache, journal: Journal,
                 emit: Emit, accepted: tuple[str, ...]) -> None:
        self._client = client
        self._sessions = sessions
        self._cache = cache
        self._journal = journal
        self._emit = emit
        self._accepted = accepted

    def _progress(self, name: str) -> Callable[[int, int], None]:
        last = [-1]

        def report(sent: int, total: int) -> None:
            pct = int(sent * 100 / total) if total else 0
            if pct != last[0] or sent == total:
                last[0] = pct
                self._emit(UploadProgress(name, sent, total))

        return report

    async def upload(self, items: Sequence[str | Path]) -> UploadResult | None:
        """Upload `items`; None (after an `ErrorRaised`) when any step fails. Files are all checked
        before anything is sent."""
        paths = [local_path(i) for i in items if not is_url(i)]
        urls = [str(i) for i in items if is_url(i)]
        problem = check_files(paths, self._accepted)
        if problem is not None:
            self._emit(problem)
            return None
        client, sid = self._client, self._sessions.current
        if sid is None:
            self._emit(not_connected())
            return None
        result = UploadResult()
        local: dict[str, str] = {}
        for path in paths:
            done = await self._sessions.call(partial(client.upload_files, sid, [path],
                                                     on_progress=self._progress(path.name)))
            if done is None:
                return None
            result.files.extend(done.files)
            local.update({f"upload:{f.id}": str(path.resolve()) for f in done.files if f.id})
        with contextlib.suppress(OSError):
            self._journal.remember_uploads(local)
        if urls:
            done = await self._sessions.call(lambda: client.upload_urls(sid, urls))
            if done is None:
                return None
            result.files.extend(done.files)
        self._cache.mark_stale()
        self._emit(UploadDone(list(result.files), local))
        return result
