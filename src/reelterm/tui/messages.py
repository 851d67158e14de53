"""Textual messages the app posts to itself: one per worker event, progress coalesced."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from reelterm.worker.events import RenderProgress, UploadProgress, WorkerEvent


class WorkerEventPosted(Message):
    """The backend worker reported something (`event` says what happened)."""

    def __init__(self, event: WorkerEvent) -> None:
        super().__init__()
        self.event = event

    def can_replace(self, message: Message) -> bool:
        """A newer progress report of the same job supersedes a queued older one."""
        if not isinstance(message, WorkerEventPosted):
            return False
        new, old = self.event, message.event
        if isinstance(new, RenderProgress) and isinstance(old, RenderProgress):
            return new.render_id == old.render_id
        if isinstance(new, UploadProgress) and isinstance(old, UploadProgress):
            return new.filename == old.filename
        return False


class UploadRequested(Message):
    """The user picked files in the file picker."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__()
        self.paths = paths


class CopyRequested(Message):
    """A widget asks the app to copy text to the clipboard (OSC 52)."""

    def __init__(self, text: str, what: str) -> None:
        super().__init__()
        self.text = text
        self.what = what


class PreviewRequested(Message):
    """A widget asks for a frame preview of a file at a time, or of a colour."""

    def __init__(self, title: str, path: Path | None = None, at_ms: int = 0,
                 color: str | None = None) -> None:
        super().__init__()
        self.title = title
        self.path = path
        self.at_ms = at_ms
        self.color = color
