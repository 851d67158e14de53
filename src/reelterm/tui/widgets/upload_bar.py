"""The upload bar under the chat: which file is on its way and how far; hidden when idle."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from reelterm.worker import events as ev


class UploadBar(Horizontal):
    """One line with the file's name and a progress bar, shown while an upload runs."""

    SHOWS = (ev.UploadProgress, ev.UploadDone, ev.ErrorRaised)
    """The worker events the bar shows (a failed upload stops there: its bar goes)."""

    def compose(self) -> ComposeResult:
        yield Label("", id="upload-label")
        yield ProgressBar(total=100, show_eta=False, id="upload-bar")

    def show_progress(self, filename: str, sent: int, total: int) -> None:
        """Show `sent` of `total` bytes of `filename`."""
        self.add_class("-active")
        self.query_one("#upload-label", Label).update(f"Uploading {filename}")
        self.query_one("#upload-bar", ProgressBar).update(total=max(total, 1), progress=sent)

    async def show_event(self, event: ev.WorkerEvent) -> None:
        """Show an upload's progress; hide the bar when it is done or failed."""
        if isinstance(event, ev.UploadProgress):
            self.show_progress(event.filename, event.sent, event.total)
        else:
            self.remove_class("-active")
