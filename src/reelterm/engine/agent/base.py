"""The interface every local agent implements: a message in, tool steps and a reply out."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from reelterm.protocol import Draft


@dataclass(frozen=True)
class UploadInfo:
    """One file uploaded to the session, as probed by the engine."""

    id: str
    """Reference it in a draft as `upload:<id>`."""
    filename: str
    """The user's file name: metadata only, never a path."""
    kind: str
    """`video`, `audio`, `image` or `text`."""
    duration_ms: int | None = None
    width: int | None = None
    height: int | None = None
    has_video: bool = False
    has_audio: bool = False
    text: str | None = None
    """Extracted text of a TXT/DOCX/PDF upload."""

    @property
    def src(self) -> str:
        """The draft reference to this upload."""
        return f"upload:{self.id}"


@dataclass(frozen=True)
class ToolStep:
    """A tool the agent ran: sent as a `functionCall` + `functionResponse` pair."""

    name: str
    args: dict[str, Any]
    response: dict[str, Any]
    state_delta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    """The agent's reply text: streamed as partial deltas, then the final full text."""

    text: str


Step = ToolStep | Reply


@dataclass
class TurnContext:
    """What an agent may see and do during one turn. The engine supplies the callables."""

    session_id: str
    language: str
    draft: Draft
    """The latest draft version (a copy: change it, then `commit`)."""
    uploads: list[UploadInfo]
    """Oldest first."""
    history: list[str]
    """Earlier user messages of this session, oldest first."""
    credits_left: float | None
    """None means unlimited."""
    commit: Callable[[Draft, str], int]
    """Store a new draft version with a one-line summary; returns its version number."""
    undo: Callable[[], Draft | None]
    """Step back one version (returns the draft now current, or None at the start)."""
    redo: Callable[[], Draft | None]
    """Step forward one version (None when there is nothing to redo)."""
    charge: Callable[[float], None]
    """Spend credits; raises `OutOfCredits` when the budget would be overrun."""
    new_asset: Callable[[str, str], tuple[str, Path]]
    """`new_asset(kind, suffix)` -> (`asset:<id>` reference, path to write the file to)."""


class OutOfCredits(Exception):
    """The session's credit budget cannot pay for this step."""


class Agent(Protocol):
    """A local agent. `respond` may block (it runs in a thread); it must never raise for bad input."""

    def respond(self, ctx: TurnContext, message: str) -> Iterator[Step]:
        """Handle one user message, yielding tool steps as they happen and a reply at the end."""
        ...
