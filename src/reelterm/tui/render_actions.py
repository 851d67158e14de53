"""The app's render-queue actions: cancel, copy the newest path, and renders from earlier runs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reelterm.tui.messages import CopyRequested

if TYPE_CHECKING:
    from reelterm.tui.contract import WorkerLike
    from reelterm.tui.widgets.render_queue import RenderQueue

log = logging.getLogger("reelterm.tui")
PAST_RENDERS = 10
"""How many finished renders of the session from earlier runs the queue shows."""


class RendersMixin:
    """Mixed into `ReelApp`."""

    renders: RenderQueue
    call_worker: Callable[..., object]
    notify: Callable[..., object]
    post_message: Callable[..., Any]

    def show_past_renders(self, backend: WorkerLike) -> None:
        """Finished renders of this session from earlier runs (the worker's journal), oldest first."""
        journal = getattr(backend, "journal", None)
        session = getattr(backend, "session_id", None)
        try:
            records = list(journal.history()) if journal is not None else []
        except Exception:  # noqa: BLE001 - the queue just starts empty
            log.warning("could not read the render history", exc_info=True)
            return
        shown = [r for r in records if r.session_id == session and r.id not in self.renders.jobs]
        for record in reversed(shown[:PAST_RENDERS]):
            path = Path(record.path) if record.path else None
            error = record.error or ""
            if record.status == "completed" and path is not None and not path.exists():
                error, path = f"{path} is gone (moved or deleted).", None
            took = max(0.0, (record.finished_at or record.submitted_at) - record.submitted_at)
            self.renders.restore(record.id, took, fmt=record.fmt, quality=record.quality,
                                 title=record.title, status=record.status, path=path,
                                 error=error, progress=100.0 if record.status == "completed" else 0)

    def action_cancel_render(self, render_id: str) -> None:
        """Cancel one render."""
        self.call_worker("cancel_render", render_id)

    def action_cancel_running(self) -> None:
        """Cancel the newest unfinished render."""
        running = [job for job in self.renders.jobs.values() if not job.finished]
        if running:
            self.action_cancel_render(running[-1].id)
        else:
            self.notify("No render is running.", severity="warning")

    def action_copy_last_path(self) -> None:
        """Copy the newest finished render's path."""
        done = [job for job in self.renders.jobs.values() if job.path is not None]
        self.post_message(CopyRequested(str(done[-1].path) if done else "", "path"))
