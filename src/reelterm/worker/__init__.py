"""The one backend worker: owns the client and the session, runs commands, emits plain events."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reelterm.worker.options import Backend, TurnTimings, WorkerTimings
    from reelterm.worker.worker import BackendWorker

__all__ = ["Backend", "BackendWorker", "TurnTimings", "WorkerTimings"]
_HOMES = {"Backend": "options", "TurnTimings": "options", "WorkerTimings": "options",
          "BackendWorker": "worker"}
"""Where each name lives: loaded on first use, so `reelterm.worker.events` (all the app's first
screen needs) does not bring in the client and httpx."""


def __getattr__(name: str) -> Any:
    """The worker's public names, imported when first asked for."""
    if name in _HOMES:
        return getattr(import_module(f"reelterm.worker.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'reelterm.worker' has no attribute {name!r}")
