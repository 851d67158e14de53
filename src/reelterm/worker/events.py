"""What the backend worker tells its owner (the app or a headless command): plain dataclasses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reelterm.protocol import SUPPORTED_UPLOADS, Credits, SessionState, UploadedFile


@dataclass(frozen=True)
class Connected:
    """The worker has a token and a session."""

    backend: str
    """`local engine` or `hosted` or the base URL."""
    base_url: str
    session_id: str
    is_local: bool
    local_files: dict[str, str] = field(default_factory=dict)
    """`upload:ID` -> the local file it was uploaded from (earlier runs included), for previews."""
    upload_types: tuple[str, ...] = SUPPORTED_UPLOADS
    """The file extensions this backend accepts (the file picker shows these)."""


@dataclass(frozen=True)
class SessionReplaced:
    """The old session was lost (1002) or `--new` was asked; a new one is in use."""

    session_id: str
    notice: str
    lost: bool = True
    """True when the backend lost the session in use (1002) so the request was not carried out;
    False when a new one was asked for (`--new`) or the remembered one was gone at start."""


@dataclass(frozen=True)
class TurnStarted:
    """A message went to the agent."""

    text: str


@dataclass(frozen=True)
class ReplyDelta:
    """A streamed piece of the agent's reply: append it."""

    text: str


@dataclass(frozen=True)
class ReplyFinal:
    """The agent's whole reply: it replaces the deltas."""

    text: str


@dataclass(frozen=True)
class ToolStarted:
    """The agent started a tool; `summary` is one line for a status bar."""

    name: str
    summary: str


@dataclass(frozen=True)
class ToolFinished:
    """A tool finished."""

    name: str
    summary: str
    ok: bool = True


@dataclass(frozen=True)
class StillWorking:
    """Only heartbeats for a while: tell the user the agent is still working."""

    elapsed_s: float
    text: str = "Still working…"


@dataclass(frozen=True)
class TurnFinished:
    """The turn is over (`ok` False when it failed, timed out or was cancelled)."""

    ok: bool
    reason: str = ""


@dataclass(frozen=True)
class StateUpdated:
    """The session state was fetched; `summary` says what changed, if anything."""

    state: SessionState
    summary: str | None = None
    """What changed since the state the worker knew before (None: nothing, or nothing to compare)."""
    overview: str = ""
    """The whole timeline in a few lines (title, length, one line per track)."""
    reason: str = ""
    """Why it was fetched: `refresh` (asked for), `turn` (after a turn), `gui` (the agent said
    "open the panel"/"preview in timeline"), `recovered` (after a broken stream)."""


@dataclass(frozen=True)
class UploadProgress:
    """Bytes of an upload sent so far."""

    filename: str
    sent: int
    total: int


@dataclass(frozen=True)
class UploadDone:
    """Files the backend accepted."""

    files: list[UploadedFile] = field(default_factory=list)
    local_files: dict[str, str] = field(default_factory=dict)
    """`upload:ID` -> the local file each came from (web addresses have none)."""


@dataclass(frozen=True)
class RenderQueued:
    """An export was submitted."""

    render_id: str
    fmt: str
    quality: str
    width: int | None = None
    height: int | None = None
    title: str = ""


@dataclass(frozen=True)
class RenderProgress:
    """A render's progress, 0-100."""

    render_id: str
    progress: float
    status: str


@dataclass(frozen=True)
class RenderDone:
    """A render finished and was downloaded to `path`."""

    render_id: str
    path: Path


@dataclass(frozen=True)
class RenderFailed:
    """A render failed or was cancelled."""

    render_id: str
    sentence: str
    cancelled: bool = False
    action: str = ""
    """What to do next, a sentence (`reelterm renders` later when the render is kept), or ''."""


@dataclass(frozen=True)
class CreditsUpdated:
    """The credit balance."""

    credits: Credits


@dataclass(frozen=True)
class ErrorRaised:
    """Something went wrong: the sentence to show and the action to suggest."""

    sentence: str
    action: str = ""
    code: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    """Machine-readable extras: `kind` (the error class), `status`, `bind_url` (2001)."""
    bad_input: bool = False
    """True when the user's input was at fault (a missing, unsupported or too large file)."""


@dataclass(frozen=True)
class Notice:
    """A plain informational line (`warning` when something works less well than usual)."""

    text: str
    warning: bool = False


@dataclass(frozen=True)
class PreviewReady:
    """A still of the draft at `at_ms`, rendered by the backend; `key` names the draft it shows."""

    key: str
    """The draft's fingerprint: a preview is current only while the timeline still has this key."""
    at_ms: int
    path: Path


@dataclass(frozen=True)
class PreviewFailed:
    """A still could not be had; `sentence` says why."""

    key: str
    at_ms: int
    sentence: str


@dataclass(frozen=True)
class SessionsListed:
    """The backend's sessions, newest first (`available` False: this backend keeps no list)."""

    sessions: list[Any] = field(default_factory=list)
    """`reelterm.protocol.SessionSummary` items."""
    available: bool = True


@dataclass(frozen=True)
class HistoryLoaded:
    """The chat of a session kept by the backend, oldest first (`ChatMessage` items)."""

    session_id: str
    messages: list[Any] = field(default_factory=list)


WorkerEvent = (
    Connected | SessionReplaced | TurnStarted | ReplyDelta | ReplyFinal | ToolStarted | ToolFinished
    | StillWorking | TurnFinished | StateUpdated | UploadProgress | UploadDone | RenderQueued
    | RenderProgress | RenderDone | RenderFailed | CreditsUpdated | ErrorRaised | Notice
    | PreviewReady | PreviewFailed | SessionsListed | HistoryLoaded
)
"""Every event the worker emits."""

Emit = Callable[[WorkerEvent], None]
"""The callback that receives every event (the app's message poster, a headless printer)."""
