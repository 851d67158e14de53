"""The errors reelterm.media raises; each carries one clear sentence."""

from __future__ import annotations


class MediaError(Exception):
    """A media job failed; `str(err)` is one sentence a user can act on."""


class ProbeError(MediaError):
    """A file is missing, empty, corrupt or not media."""


class NoStreamError(MediaError):
    """A file lacks the video or audio stream the job needs."""


class UnsupportedTarget(MediaError):
    """The output format is unknown or cannot be made from this input."""


class FFmpegFailed(MediaError):
    """ffmpeg exited with an error; `tail` holds the last lines it printed."""

    def __init__(self, message: str, tail: str = "") -> None:
        super().__init__(message)
        self.tail = tail


class RenderCancelled(MediaError):
    """The job was cancelled; nothing was written."""
