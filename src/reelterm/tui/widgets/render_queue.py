"""The render queue: every export with progress, elapsed time, ETA, state and the finished path."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from reelterm.tui.bindings import QUEUE_KEYS, bindings
from reelterm.tui.contract import RenderHistory
from reelterm.tui.messages import CopyRequested, PreviewRequested
from reelterm.tui.opener import open_render
from reelterm.tui.typing_redirect import TypesIntoPrompt
from reelterm.tui.widgets.render_job import Job, JobRow
from reelterm.worker import events as ev

log = logging.getLogger("reelterm.tui")
PAST_RENDERS = 10
"""How many finished renders of the session from earlier runs the queue shows."""


class RenderQueue(TypesIntoPrompt, VerticalScroll, can_focus=True):
    """Every render job, newest last."""

    BINDINGS = bindings(QUEUE_KEYS)
    DEFAULT_CSS = """
    RenderQueue { height: auto; max-height: 12; }
    RenderQueue > .queue-empty { color: $text-muted; text-style: italic; padding: 0 1; }
    """

    class CancelRequested(Message):
        """The user asked to cancel one render."""

        def __init__(self, render_id: str) -> None:
            super().__init__()
            self.render_id = render_id

    class SubtitlesRequested(Message):
        """The user asked for the captions as an SRT file (`dest`: beside a video, or None)."""

        def __init__(self, dest: str | None) -> None:
            super().__init__()
            self.dest = dest

    def __init__(self, *, clock: Callable[[], float] = time.monotonic,
                 journal: Callable[[], RenderHistory | None] = lambda: None,
                 id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.clock = clock
        """The app's clock (a fixed one in tests): elapsed times and ETAs."""
        self.journal = journal
        """The worker's journal (None before there is a worker): which session a render is of."""
        self.session: str | None = None
        """The session in use: the queue lists its renders only."""
        self.jobs: dict[str, Job] = {}
        self._selected = -1

    def compose(self) -> ComposeResult:
        yield Static("No renders yet: press ctrl+e to export the timeline.", classes="queue-empty")

    def on_mount(self) -> None:
        """Tick elapsed times and ETAs once a second."""
        self.set_class(not self.jobs, "-empty")  # narrow layouts hide an empty queue
        self.set_interval(1.0, self.tick)

    def now(self) -> float:
        """The app's clock."""
        return self.clock()

    def tick(self) -> None:
        """Refresh the times of unfinished jobs."""
        now = self.now()
        for row in self.query(JobRow):
            if not row.job.finished:
                row.update_from_job(now)

    def _row(self, render_id: str) -> JobRow | None:
        for row in self.query(JobRow):
            if row.job.id == render_id:
                return row
        return None

    def upsert(self, render_id: str, **changes: Any) -> Job:
        """Create or update a job (a job first seen mid-way, e.g. resumed after a restart, too)."""
        now = self.now()
        job = self.jobs.get(render_id)
        if job is None:
            job = Job(id=render_id, started=now, extra={"session": self.session})
            self.jobs[render_id] = job
            for empty in self.query(".queue-empty"):
                empty.remove()
            self.remove_class("-empty")
            for key, value in changes.items():
                setattr(job, key, value)
            self.mount(JobRow(job, self.clock))
            if self._selected < 0:
                self._selected = 0
                self.call_after_refresh(self._show_selection)
        else:
            for key, value in changes.items():
                setattr(job, key, value)
            row = self._row(render_id)
            if row is not None:
                if job.finished and job.ended is None:
                    job.ended = now
                row.update_from_job(now)
        if job.finished and job.ended is None:
            job.ended = now
        idle = all(j.finished for j in self.jobs.values())
        self.set_class(idle, "-idle")  # short layouts fold an idle queue to its newest job
        if idle:
            self.call_after_refresh(self._show_newest)
        return job

    SHOWS = (ev.RenderQueued, ev.RenderProgress, ev.RenderDone, ev.RenderFailed, ev.Connected,
             ev.SessionReplaced)
    """The worker events the queue shows (and the session changes: it lists that session's renders)."""

    def _session_of(self, render_id: str) -> str | None:
        """The session a render was submitted in, from the worker's journal (None: not listed)."""
        journal = self.journal()
        if journal is None:
            return None
        try:
            pending = getattr(journal, "pending", list)  # unfinished renders (a fake may have none)
            records = [*pending(), *journal.history()]
        except Exception:  # noqa: BLE001 - then it counts as this session's
            log.warning("could not read the render journal", exc_info=True)
            return None
        return next((r.session_id for r in records if r.id == render_id), None)

    async def show_event(self, event: ev.WorkerEvent) -> None:
        """Show one render's news (of the session in use; the worker follows every session's)."""
        if isinstance(event, ev.Connected | ev.SessionReplaced):
            await self.keep_session(event.session_id)
            return
        render_id = getattr(event, "render_id", "")
        if render_id not in self.jobs and not isinstance(event, ev.RenderQueued):
            owner = self._session_of(render_id)  # first seen mid-way: resumed after a restart
            if owner is not None and self.session is not None and owner != self.session:
                return  # another session's render, resumed by the worker
        match event:
            case ev.RenderQueued():
                self.upsert(event.render_id, fmt=event.fmt, quality=event.quality, width=event.width,
                            height=event.height, title=event.title, status="pending")
            case ev.RenderProgress():
                self.upsert(event.render_id, progress=event.progress, status=event.status)
            case ev.RenderDone():
                self.upsert(event.render_id, progress=100.0, status="completed", path=event.path)
            case ev.RenderFailed():
                self.upsert(event.render_id, error=event.sentence,
                            status="cancelled" if event.cancelled else "failed")

    async def keep_session(self, session_id: str | None) -> None:
        """From now on list the renders of `session_id` only (the worker still follows the others)."""
        if session_id == self.session:
            return
        self.session = session_id
        await self._forget(lambda job: job.extra.get("session") != session_id)

    async def clear_finished(self) -> None:
        """Forget the finished jobs (another session's); running ones go at the session change."""
        await self._forget(lambda job: job.finished)

    async def _forget(self, which: Callable[[Job], bool]) -> None:
        rows = [row for row in self.query(JobRow) if which(row.job)]
        if not rows:
            return
        for row in rows:
            self.jobs.pop(row.job.id, None)
            await row.remove()
        self._selected = 0 if self.jobs else -1
        if not self.jobs:
            self.add_class("-empty")
            await self.mount(Static("No renders yet: press ctrl+e to export the timeline.",
                                    classes="queue-empty"))

    def _show_newest(self) -> None:
        rows = list(self.query(JobRow))
        if rows and not self.has_focus:
            self.scroll_to_widget(rows[-1], top=True, animate=False)

    def restore(self, render_id: str, took_s: float, **changes: Any) -> Job:
        """A finished job from an earlier run (its elapsed time is how long it took)."""
        job = self.upsert(render_id, **changes)
        job.ended = self.now()
        job.started = job.ended - took_s
        row = self._row(render_id)
        if row is not None and row.is_mounted:
            row.update_from_job(job.ended)
        return job

    def restore_history(self, journal: RenderHistory, session_id: str | None) -> None:
        """Finished renders of this session from earlier runs (the worker's journal), oldest first."""
        try:
            records = list(journal.history())
        except Exception:  # noqa: BLE001 - the queue just starts empty
            log.warning("could not read the render history", exc_info=True)
            return
        self.session = self.session or session_id
        shown = [r for r in records if r.session_id == session_id and r.id not in self.jobs]
        for record in reversed(shown[:PAST_RENDERS]):
            path = Path(record.path) if record.path else None
            error = record.error or ""
            if record.status == "completed" and path is not None and not path.exists():
                error, path = f"{path} is gone (moved or deleted).", None
            took = max(0.0, (record.finished_at or record.submitted_at) - record.submitted_at)
            self.restore(record.id, took, fmt=record.fmt, quality=record.quality,
                         title=record.title, status=record.status, path=path,
                         error=error, progress=100.0 if record.status == "completed" else 0)

    def cancel_newest(self) -> None:
        """Cancel the newest unfinished render (the palette's command)."""
        running = [job for job in self.jobs.values() if not job.finished]
        if running:
            self.post_message(self.CancelRequested(running[-1].id))
        else:
            self.notify("No render is running.", severity="warning")

    def copy_newest_path(self) -> None:
        """Copy the newest finished render's path (the palette's command)."""
        done = [job for job in self.jobs.values() if job.path is not None]
        self.post_message(CopyRequested(str(done[-1].path) if done else "", "path"))

    def selected_job(self) -> Job | None:
        """The job under the cursor."""
        rows = list(self.query(JobRow))
        if 0 <= self._selected < len(rows):
            return rows[self._selected].job
        return None

    def _show_selection(self) -> None:
        rows = list(self.query(JobRow))
        for index, row in enumerate(rows):
            row.set_class(index == self._selected, "-selected")
        if 0 <= self._selected < len(rows):
            self.scroll_to_widget(rows[self._selected], animate=False)

    def action_select(self, step: int) -> None:
        """Move the cursor."""
        count = len(self.query(JobRow))
        if count:
            self._selected = max(0, min(count - 1, self._selected + step))
            self._show_selection()

    def action_copy_path(self) -> None:
        """Copy the selected job's file path."""
        job = self.selected_job()
        if job is None or job.path is None:
            self.notify("This render has no file yet.", severity="warning")
            return
        self.post_message(CopyRequested(str(job.path), "path"))

    def action_cancel(self) -> None:
        """Cancel the selected job if it is still running."""
        job = self.selected_job()
        if job is None or job.finished:
            self.notify("Nothing to cancel here.", severity="warning")
            return
        self.post_message(self.CancelRequested(job.id))

    def action_preview(self) -> None:
        """A frame of the finished file."""
        job = self.selected_job()
        if job is None or job.path is None:
            self.notify("This render has no file yet.", severity="warning")
            return
        self.post_message(PreviewRequested(job.path.name, path=job.path, at_ms=1000))

    def action_open(self) -> None:
        """Play the finished file with the system's player, or copy its path without a display."""
        job = self.selected_job()
        if job is None or job.path is None:
            self.notify("This render has no file yet.", severity="warning")
            return
        self.notify(open_render(job.path, self.app.copy_to_clipboard), timeout=4)

    def action_subtitles(self) -> None:
        """Export the captions as an SRT file, beside the selected finished video when there is one."""
        job = self.selected_job()
        path = job.path if job is not None else None
        dest = str(path.with_suffix(".srt")) if path is not None and path.suffix not in (".srt", ".vtt") else None
        self.post_message(self.SubtitlesRequested(dest))
