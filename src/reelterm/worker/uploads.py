"""Uploads: check every file first, then send files one by one (with progress) and web addresses."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from reelterm.client import ReelError, check_upload
from reelterm.protocol import UploadResult
from reelterm.worker.events import ErrorRaised, UploadDone, UploadProgress
from reelterm.worker.intents import local_path

if TYPE_CHECKING:
    from reelterm.worker.worker import BackendWorker


def is_url(item: str | Path) -> bool:
    """True for an http(s) address."""
    return str(item).lower().startswith(("http://", "https://"))


def _progress(worker: BackendWorker, name: str) -> Callable[[int, int], None]:
    last = [-1]

    def report(sent: int, total: int) -> None:
        pct = int(sent * 100 / total) if total else 0
        if pct != last[0] or sent == total:
            last[0] = pct
            worker.emit(UploadProgress(name, sent, total))

    return report


async def upload_items(worker: BackendWorker, items: Sequence[str | Path]) -> UploadResult | None:
    """Upload `items` to the worker's session; None (after an `ErrorRaised`) when any step fails."""
    paths = [local_path(i) for i in items if not is_url(i)]
    urls = [str(i) for i in items if is_url(i)]
    for path in paths:
        if not path.exists():
            worker.emit(ErrorRaised(f"There is no file at {path}.", "Check the path and try again.",
                                    bad_input=True, detail={"kind": "FileNotFound"}))
            return None
        try:
            check_upload(path, worker.backend.upload_types)
        except ReelError as exc:  # a folder, an empty file, a type or size the backend refuses
            worker.emit(replace(worker.error_event(exc), bad_input=True))
            return None
    client, sid = worker.client, worker.session_id
    assert client is not None and sid is not None
    result = UploadResult()
    local: dict[str, str] = {}
    for path in paths:
        done = await worker.guarded_call(
            lambda p=path: client.upload_files(sid, [p], on_progress=_progress(worker, p.name)))
        if done is None:
            return None
        result.files.extend(done.files)
        local.update({f"upload:{f.id}": str(path.resolve()) for f in done.files if f.id})
    with contextlib.suppress(OSError):
        worker.journal.remember_uploads(local)
    if urls:
        done = await worker.guarded_call(lambda: client.upload_urls(sid, urls))
        if done is None:
            return None
        result.files.extend(done.files)
    worker.mark_state_stale()
    worker.emit(UploadDone(list(result.files), local))
    return result
