"""What the app needs from a backend worker: a small Protocol, so tests can pass a fake."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from reelterm.worker.events import WorkerEvent
from reelterm.worker.journal import RenderRecord

Emit = Callable[[WorkerEvent], None]
"""The callback a worker reports its events through."""

CallWorker = Callable[..., object]
"""`ReelApp.call_worker`: call a worker method by name in the background (failures are shown)."""


class RenderHistory(Protocol):
    """The worker's journal as the app reads it: finished renders from earlier runs."""

    def history(self) -> Sequence[RenderRecord]: ...


class WorkerLike(Protocol):
    """The backend worker's API as the app uses it (`BackendWorker`; see AGENTS.md, "Worker")."""

    @property
    def session_id(self) -> str | None: ...
    @property
    def journal(self) -> RenderHistory: ...

    async def start(self, session_id: str | None = None, new: bool = False) -> Any: ...
    async def load_history(self) -> Any: ...
    async def send(self, text: str) -> Any: ...
    async def chat(self, text: str) -> Any: ...
    async def upload(self, items: Sequence[Path | str]) -> Any: ...
    async def refresh_state(self) -> Any: ...
    async def refresh_credits(self) -> Any: ...
    async def export(self, fmt: str | None = None, quality: str | None = None,
                     dest: str | Path | None = None) -> Any: ...
    async def preview(self, at_ms: int) -> Any: ...
    async def storyboard(self, times_ms: Sequence[int]) -> Any: ...
    async def list_sessions(self) -> Any: ...
    async def switch_session(self, session_id: str) -> Any: ...
    async def cancel_turn(self) -> Any: ...
    async def cancel_render(self, render_id: str) -> Any: ...
    async def stop(self) -> Any: ...


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
