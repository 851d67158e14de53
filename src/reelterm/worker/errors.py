"""Client errors and reelterm's own failures as `ErrorRaised` events (never a traceback); the
worker's own lines put in the chat's language."""

from __future__ import annotations

import dataclasses
from typing import Any

from reelterm.client import FileTooLarge, ReelError, UnsupportedFile
from reelterm.worker.events import (
    ErrorRaised,
    Notice,
    PreviewFailed,
    RenderFailed,
    SessionReplaced,
    StillWorking,
    WorkerEvent,
)
from reelterm.worker.lang import is_zh, to_chinese


def error_event(exc: ReelError) -> ErrorRaised:
    """The event for a client error: sentence, action, code and a few machine-readable details."""
    detail: dict[str, Any] = {"kind": type(exc).__name__}
    if exc.status is not None:
        detail["status"] = exc.status
    bind_url = getattr(exc, "bind_url", None)  # only OutOfCredits has one
    if bind_url:
        detail["bind_url"] = bind_url
    code = int(exc.code) if exc.code is not None else None
    return ErrorRaised(exc.sentence, exc.action, code=code, detail=detail,
                       bad_input=isinstance(exc, UnsupportedFile | FileTooLarge))


def not_connected() -> ErrorRaised:
    """The event for a command given before the worker started (or after it stopped)."""
    return ErrorRaised("The worker is not connected.", "Start it first.", detail={"kind": "NotStarted"})


def internal_error(exc: BaseException) -> ErrorRaised:
    """The event for a bug inside reelterm: the exception's class only, the rest goes to the log."""
    return ErrorRaised(f"Something went wrong inside reelterm ({type(exc).__name__}).",
                       "Please report this with the log.", detail={"kind": "InternalError"})


def localize(event: WorkerEvent, lang: str) -> WorkerEvent:
    """`event` with its worker-written sentences in `lang` (unchanged for English)."""
    if not is_zh(lang):
        return event
    if isinstance(event, Notice | StillWorking):
        return dataclasses.replace(event, text=to_chinese(event.text))
    if isinstance(event, ErrorRaised | RenderFailed):
        return dataclasses.replace(event, sentence=to_chinese(event.sentence), action=to_chinese(event.action))
    if isinstance(event, PreviewFailed):
        return dataclasses.replace(event, sentence=to_chinese(event.sentence))
    if isinstance(event, SessionReplaced):
        return dataclasses.replace(event, notice=to_chinese(event.notice))
    return event
