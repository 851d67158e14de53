"""What the app needs from a backend worker: a small Protocol, so tests can pass a fake."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from reelterm.worker.events import WorkerEvent

Emit = Callable[[WorkerEvent], None]
"""The callback a worker reports its events through."""


class WorkerLike(Protocol):
    """The backend worker's API as the app uses it (see AGENTS.md, "Worker")."""

    async def start(self, session_id: str | None = None, new: bool = False) -> Any: ...
    async def send(self, text: str) -> Any: ...
    def upload(self, items: Sequence[Path | str]) -> Any: ...
    def refresh_state(self) -> Any: ...
    def refresh_credits(self) -> Any: ...
    def export(self, fmt: str, quality: str) -> Any: ...
    def cancel_turn(self) -> Any: ...
    def cancel_render(self, render_id: str) -> Any: ...
    def stop(self) -> Any: ...
    # optional (the app checks before it relies on them): chat(text), preview(at_ms),
    # storyboard(times), list_sessions(), switch_session(id), load_history()


WorkerFactory = Callable[[Emit], "WorkerLike | Awaitable[WorkerLike]"]
"""Builds (and may connect) a worker once the first screen is up; called with the app's emit."""


async def run_quietly(*steps: Callable[[], object] | None) -> None:
    """Call each step (sync or async) in turn, ignoring failures: for leaving the app anyway."""
    for step in steps:
        if step is None:
            continue
        try:
            result = step()
            if inspect.isawaitable(result):
                await result
        except Exception:  # noqa: BLE001 - leaving anyway
            pass
