"""One render job as the render queue shows it: its facts (`Job`) and its row (`JobRow`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, ProgressBar, Static

FINISHED = ("completed", "failed", "cancelled")


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
        super().__init__(id=f"job-{css_id(job.id)}")
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


def css_id(render_id: str) -> str:
    """A render id as a CSS id."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in render_id)
