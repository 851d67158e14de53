"""Client errors and reelterm's own failures as `ErrorRaised` events (never a traceback)."""

from __future__ import annotations

from typing import Any

from reelterm.client import FileTooLarge, ReelError, UnsupportedFile
from reelterm.worker.events import ErrorRaised


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
