"""Frame previews: the backend renders a still of the draft at a time; cached by draft and time."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any

from reelterm.client import NemoClient, ReelError
from reelterm.protocol import Draft
from reelterm.worker.draft_keys import draft_key
from reelterm.worker.events import Emit, PreviewFailed, PreviewReady
from reelterm.worker.state_cache import StateCache

log = logging.getLogger("reelterm.worker")
STILL_FORMAT = "jpg"
"""The seed still format previews use (small and quick to encode; q 2)."""
KEEP_FILES = 400
"""Previews kept in the cache folder; the oldest go first."""


def preview_dir(cache_dir: Path, backend_key: str) -> Path:
    """Where one backend's previews are kept (a folder per backend, in the cache dir)."""
    return cache_dir / "previews" / hashlib.sha256(backend_key.encode()).hexdigest()[:12]


def _prune(folder: Path) -> None:
    try:
        files = sorted(folder.glob(f"*.{STILL_FORMAT}"), key=lambda p: p.stat().st_mtime)
        for old in files[:-KEEP_FILES]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


class Previewer:
    """Renders stills of the current draft: one preview at a time (a newer one replaces it), and a
    storyboard strip after it; every outcome is `PreviewReady` or `PreviewFailed`."""

    def __init__(self, client: NemoClient, cache: StateCache, emit: Emit, folder: Path,
                 nearby: bool) -> None:
        self._client = client
        self._cache = cache
        self._emit = emit
        self.folder = folder
        """Where the stills are kept (see `preview_dir`)."""
        self._nearby = nearby
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def cached_path(self, key: str, at_ms: int) -> Path:
        """The file a preview of draft `key` at `at_ms` is kept in."""
        return self.folder / f"{key}-{int(at_ms)}.{STILL_FORMAT}"

    async def render_still(self, draft: Draft, at_ms: int, timeout_s: float = 60.0) -> Path:
        """The still of `draft` at `at_ms` (cached, else rendered by the backend); raises `ReelError`."""
        path = self.cached_path(draft_key(draft), at_ms)
        if path.is_file():
            return path
        sid = self._cache.session_id
        if sid is None:
            raise ReelError("The worker is not connected.", "Wait until it connects.")
        client = self._client
        status = await client.submit_render(sid, draft, fmt=STILL_FORMAT, quality="standard", at_s=at_ms / 1000)
        poll = 0.04 if self._nearby else 2.0
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout_s
        while status.status not in ("completed", "failed", "cancelled"):
            if loop.time() > end:
                raise ReelError("The preview took too long to render.", "Try again, or export the video.")
            await asyncio.sleep(poll)
            poll = min(poll * 1.3, 0.25 if self._nearby else 5.0)
            status = await client.render_status(status.id)
        if status.status != "completed":
            raise ReelError(status.error or "The backend could not render the preview.", "")
        path.parent.mkdir(parents=True, exist_ok=True)
        got = await client.download(status, path)
        _prune(path.parent)
        return got

    async def show(self, at_ms: int, draft: Draft | None = None) -> None:
        """Emit `PreviewReady` (or `PreviewFailed` with the reason) for the frame at `at_ms` of
        `draft` (default: the last fetched state's draft)."""
        if draft is None and self._cache.last is not None:
            draft = self._cache.last.draft
        key = draft_key(draft)
        if draft is None or not draft.ready:
            self._emit(PreviewFailed(key, at_ms, "The timeline is empty, so there is no frame to show."))
            return
        try:
            path = await self.render_still(draft, at_ms)
        except asyncio.CancelledError:
            raise
        except ReelError as exc:
            self._emit(PreviewFailed(key, at_ms, exc.sentence))
            return
        except Exception as exc:  # noqa: BLE001 - a preview never breaks the app
            log.warning("preview failed", exc_info=exc)
            self._emit(PreviewFailed(key, at_ms, f"The preview could not be made ({type(exc).__name__})."))
            return
        self._emit(PreviewReady(key, at_ms, path))

    def preview(self, at_ms: int) -> asyncio.Task[None]:
        """Start the preview of the frame at `at_ms`; a preview still running is cancelled."""
        return self._single("preview", self.show(int(at_ms)))

    def storyboard(self, times_ms: Sequence[int]) -> asyncio.Task[None]:
        """Start one still per time (a storyboard strip), one after another, each after any preview;
        a storyboard still running is cancelled."""
        async def run() -> None:
            for at in times_ms:
                while not self.idle("preview"):
                    await asyncio.sleep(0.05)
                await self.show(int(at))

        return self._single("storyboard", run())

    def idle(self, name: str) -> bool:
        """True when no `preview` (or `storyboard`) task is running."""
        task = self._tasks.get(name)
        return task is None or task.done()

    def _single(self, name: str, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        old = self._tasks.get(name)
        if old is not None and not old.done():
            old.cancel()
        task = self._tasks[name] = asyncio.ensure_future(coro)
        return task

    async def stop(self) -> None:
        """Cancel the running preview and storyboard."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
