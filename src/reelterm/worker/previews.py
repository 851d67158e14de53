"""Frame previews: the backend renders a still of the draft at a time; cached by draft and time."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from reelterm.client import ReelError
from reelterm.protocol import Draft
from reelterm.worker.draft_keys import draft_key
from reelterm.worker.events import PreviewFailed, PreviewReady

if TYPE_CHECKING:
    from reelterm.worker.worker import BackendWorker

log = logging.getLogger("reelterm.worker")
STILL_FORMAT = "jpg"
"""The seed still format previews use (small and quick to encode; q 2)."""
KEEP_FILES = 400
"""Previews kept in the cache folder; the oldest go first."""


def preview_dir(worker: BackendWorker) -> Path:
    """Where previews are kept (per backend, in the cache dir)."""
    return worker.paths.cache_dir / "previews" / hashlib.sha256(worker.backend.key.encode()).hexdigest()[:12]


def cached_path(worker: BackendWorker, key: str, at_ms: int) -> Path:
    """The file a preview of draft `key` at `at_ms` is kept in."""
    return preview_dir(worker) / f"{key}-{int(at_ms)}.{STILL_FORMAT}"


async def render_still(worker: BackendWorker, draft: Draft, at_ms: int, timeout_s: float = 60.0) -> Path:
    """The still of `draft` at `at_ms` (cached, else rendered by the backend); raises `ReelError`."""
    key = draft_key(draft)
    path = cached_path(worker, key, at_ms)
    if path.is_file():
        return path
    client, sid = worker.client, worker.session_id
    if client is None or sid is None:
        raise ReelError("The worker is not connected.", "Wait until it connects.")
    status = await client.submit_render(sid, draft, fmt=STILL_FORMAT, quality="standard", at_s=at_ms / 1000)
    poll = 0.04 if worker.backend.nearby else 2.0
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout_s
    while status.status not in ("completed", "failed", "cancelled"):
        if loop.time() > end:
            raise ReelError("The preview took too long to render.", "Try again, or export the video.")
        await asyncio.sleep(poll)
        poll = min(poll * 1.3, 0.25 if worker.backend.nearby else 5.0)
        status = await client.render_status(status.id)
    if status.status != "completed":
        raise ReelError(status.error or "The backend could not render the preview.", "")
    path.parent.mkdir(parents=True, exist_ok=True)
    got = await client.download(status, path)
    _prune(path.parent)
    return got


def _prune(folder: Path) -> None:
    try:
        files = sorted(folder.glob(f"*.{STILL_FORMAT}"), key=lambda p: p.stat().st_mtime)
        for old in files[:-KEEP_FILES]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


async def preview(worker: BackendWorker, at_ms: int, draft: Draft | None = None) -> None:
    """Emit `PreviewReady` (or `PreviewFailed` with the reason) for the frame at `at_ms`."""
    draft = draft if draft is not None else (worker.last_state.draft if worker.last_state else None)
    key = draft_key(draft)
    if draft is None or not draft.ready:
        worker.emit(PreviewFailed(key, at_ms, "The timeline is empty, so there is no frame to show."))
        return
    try:
        path = await render_still(worker, draft, at_ms)
    except asyncio.CancelledError:
        raise
    except ReelError as exc:
        worker.emit(PreviewFailed(key, at_ms, exc.sentence))
        return
    except Exception as exc:  # noqa: BLE001 - a preview never breaks the app
        log.warning("preview failed", exc_info=exc)
        worker.emit(PreviewFailed(key, at_ms, f"The preview could not be made ({type(exc).__name__})."))
        return
    worker.emit(PreviewReady(key, at_ms, path))
