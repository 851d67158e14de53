"""The render queue: every export with progress, elapsed time, ETA, state and the finished path."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Label, ProgressBar, Static

from reelterm.tui.bindings import QUEUE_KEYS, bindings
from reelterm.tui.contract import RenderHistory
from reelterm.tui.messages import CopyRequested, PreviewRequested
from reelterm.tui.opener import open_render
from reelterm.tui.typing_redirect import redirect_key, redirect_paste
from reelterm.worker import events as ev

log = logging.getLogger("reelterm.tui")
FINISHED = ("completed", "failed", "cancelled")
PAST_RENDERS = 10
"""How many finished renders of the session from earlier runs the queue shows."""


def fmt_clock(seconds: float) -> str:
    """`m:ss` (or `h:mm:ss`)."""
    seconds = max(0, int(seconds))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass
class Job:
    """One render as the app knows it."""

    id: str
    fmt: str = "mp4"
    quality: str = ""
    width: int | None = None
    height: int | None = None
    title: str = ""
    progress: float = 0.0
    status: str = "pending"
    started: float = 0.0
    ended: float | None = None
    path: Path | None = None
    error: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        """True when the job will not change any more."""
        return self.status in FINISHED

    def elapsed(self, now: float) -> float:
        """Seconds since the app first saw the job (until it ended)."""
        return (self.ended if self.ended is not None else now) - self.started

    def eta(self, now: float) -> float | None:
        """Seconds left, from the rate so far, or None when unknown."""
        if self.finished or self.progress <= 0 or self.progress >= 100:
            return None
        elapsed = self.elapsed(now)
        return elapsed * (100 - self.progress) / self.progress

    def summary(self) -> str:
        """Id, format and resolution."""
        size = f" {self.width}x{self.height}" if self.width and self.height else ""
        quality = f" {self.quality}" if self.quality else ""
        return f"{self.id} · {self.fmt}{size}{quality}"


class JobRow(Vertical):
    """One job: a line of facts with a progress bar, then the path or the error."""

    DEFAULT_CSS = """
    JobRow { height: auto; padding: 0 1; }
    JobRow > Horizontal { height: 1; }
    JobRow .job-id { width: 1fr; }
    JobRow ProgressBar { width: auto; }
    JobRow ProgressBar Bar { width: 20; }
    JobRow .job-times { width: auto; padding-left: 1; }
    JobRow .job-state { width: auto; padding-left: 1; }
    JobRow .job-path { height: auto; }
    JobRow .job-path .job-arrow { width: 2; color: $text-muted; }
    JobRow .job-path .job-file { width: 1fr; height: auto; color: $text-muted; }
    JobRow.-completed .job-state { color: $text-success; }
    JobRow.-failed .job-state, JobRow.-cancelled .job-state { color: $text-error; }
    JobRow.-failed .job-file, JobRow.-cancelled .job-file { color: $text-error; }
    JobRow.-selected { background: $boost; }
    RenderQueue:focus JobRow.-selected { background: $accent 30%; }
    """

    def __init__(self, job: Job, clock: Callable[[], float]) -> None:
        super().__init__(id=f"job-{_css_id(job.id)}")
        self.job = job
        self.clock = clock

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.job.summary(), classes="job-id")
            yield Label("", classes="job-state")
        with Horizontal(classes="job-progress"):
            yield ProgressBar(total=100, show_eta=False, show_percentage=True)
            yield Label("", classes="job-times")
        with Horizontal(classes="job-path"):
            yield Label("→", classes="job-arrow")
            yield Static("", markup=False, classes="job-file")

    def on_mount(self) -> None:
        """Draw the current state."""
        self.update_from_job(self.clock())

    def update_from_job(self, now: float) -> None:
        """Redraw from `self.job` at time `now`."""
        job = self.job
        self.query_one(".job-id", Label).update(job.summary())
        self.query_one(ProgressBar).update(progress=job.progress)
        eta = job.eta(now)
        times = fmt_clock(job.elapsed(now)) + (f" ETA {fmt_clock(eta)}" if eta is not None else "")
        self.query_one(".job-times", Label).update(times)
        # A failed or cancelled job's bar says nothing: its error line does.
        self.query_one(".job-progress").display = not job.finished or job.status == "completed"
        self.query_one(".job-state", Label).update(job.status)
        for state in ("pending", "processing", "downloading", *FINISHED):
            self.set_class(job.status == state, f"-{state}")
        box = self.query_one(".job-path")
        box.query_one(".job-arrow", Label).update("→" if job.path else "✗")
        # A path has no spaces to wrap at: fold it by character under itself.
        text = Text(str(job.path), overflow="fold") if job.path else Text(job.error)
        box.query_one(".job-file", Static).update(text)
        box.display = bool(job.path or job.error)


def _css_id(render_id: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in render_id)


class RenderQueue(VerticalScroll, can_focus=True):
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

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.clock = clock
        """The app's clock (a fixed one in tests): elapsed times and ETAs."""
        self.jobs: dict[str, Job] = {}
        self._selected = -1

    def compose(self) -> ComposeResult:
        yield Static("No renders yet: press ctrl+e to export the timeline.", classes="queue-empty")

    def on_mount(self) -> None:
        """Tick elapsed times and ETAs once a second."""
        self.set_class(not self.jobs, "-empty")  # narrow layouts hide an empty queue
        self.set_interval(1.0, self.tick)

    def on_key(self, event: events.Key) -> None:
        """Words typed here go to the message box (only this panel's own letters act)."""
        redirect_key(self, event)

    def on_paste(self, event: events.Paste) -> None:
        """A paste here goes to the message box."""
        redirect_paste(self, event)

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
            job = Job(id=render_id, started=now)
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

    SHOWS = (ev.RenderQueued, ev.RenderProgress, ev.RenderDone, ev.RenderFailed)
    """The worker events the queue shows."""

    async def show_event(self, event: ev.WorkerEvent) -> None:
        """Show one render's news."""
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

    async def clear_finished(self) -> None:
        """Forget the finished jobs (another session's); running ones stay until they end."""
        for row in list(self.query(JobRow)):
            if row.job.finished:
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
