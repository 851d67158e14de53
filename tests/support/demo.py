"""Fixed data and a scripted worker for the app's tests and benchmarks (never for screenshots:
those drive the real app on the real local engine, see scripts/screenshots.py)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from reelterm.protocol import Credits, Draft, SessionState
from reelterm.tui.contract import Emit
from reelterm.worker import events as ev

URBAN_DREAMS: dict[str, Any] = {
    "m": {"title": "Urban Dreams", "width": 1920, "height": 1080, "fps": 30},
    "t": [
        {"tt": 0, "id": "v1", "m": {"name": "Video"}, "sg": [{"id": "s1", "s": 0, "d": 10_000, "src": "asset:city",
                                       "m": {"name": "city timelapse"}}]},
        {"tt": 1, "id": "a1", "m": {"name": "Music"}, "sg": [{"id": "s2", "s": 0, "d": 10_000,
                                       "src": "music:calm/lofi", "m": {"name": "Lo-fi",
                                                                       "volume": 0.35}}]},
        {"tt": 7, "id": "x1", "m": {"name": "Titles"}, "sg": [{"id": "s3", "s": 0, "d": 3_000,
                                       "m": {"text": "Urban Dreams", "style": "title"}}]},
    ],
}
"""The seeds' example timeline: video, background music at 35%, a title."""


def state_of(draft: dict[str, Any]) -> SessionState:
    """A session state holding `draft` (SessionState drops Draft instances: pass the dict)."""
    return SessionState.model_validate({"draft": draft})


def urban_dreams() -> Draft:
    """The seeds' three-track draft."""
    return Draft.model_validate(URBAN_DREAMS)


def big_draft(segments: int = 500, tracks: int = 4) -> Draft:
    """A draft with many short segments, for the redraw benchmark."""
    per = segments // tracks
    kinds = (0, 1, 7, 3)
    data = {"m": {"title": "Big"}, "t": [
        {"tt": kinds[i % 4], "sg": [{"id": f"{i}-{j}", "s": j * 1000, "d": 900,
                                     "m": {"name": f"clip {j}", "text": f"t{j}"}}
                                    for j in range(per)]} for i in range(tracks)]}
    return Draft.model_validate(data)


CONNECTED = ev.Connected(backend="local engine", base_url="http://127.0.0.1:8765",
                         session_id="sess_demo_0001", is_local=True)
CREDITS = ev.CreditsUpdated(Credits(available=100, frozen=0, total=100))


class NoJournal:
    """A worker journal without renders from earlier runs."""

    def history(self) -> list[Any]:
        """Finished renders, newest first (none)."""
        return []


class ScriptedWorker:
    """A worker that answers each call with recorded events (no backend at all)."""

    def __init__(self, emit: Emit, *, script: dict[str, Sequence[ev.WorkerEvent]] | None = None,
                 delay: float = 0.0) -> None:
        self.emit = emit
        self.script = dict(script or {})
        self.delay = delay
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.stopped = False
        self.session_id: str | None = None
        self.journal: Any = NoJournal()

    async def _play(self, name: str, *args: Any) -> None:
        self.calls.append((name, args))
        for event in self.script.get(name, ()):
            if self.delay:
                await asyncio.sleep(self.delay)
            self.emit(event)

    async def start(self, session_id: str | None = None, new: bool = False) -> None:
        """Connect."""
        self.calls.append(("start", (session_id, new)))
        self.emit(CONNECTED)
        self.emit(CREDITS)
        for event in self.script.get("start", ()):
            self.emit(event)

    async def load_history(self) -> None:
        """The chat so far (none)."""

    async def send(self, text: str) -> None:
        """A turn."""
        await self._play("send", text)

    async def upload(self, items: Sequence[Path | str]) -> None:
        """An upload."""
        await self._play("upload", list(items))

    async def refresh_state(self) -> None:
        """State."""
        await self._play("refresh_state")

    async def refresh_credits(self) -> None:
        """Credits."""
        await self._play("refresh_credits")

    async def export(self, fmt: str, quality: str | None, dest: str | None = None) -> None:
        """An export (to `dest` when given)."""
        await self._play("export", fmt, quality, *([dest] if dest else []))

    async def cancel_turn(self) -> None:
        """Cancel the turn."""
        await self._play("cancel_turn")

    async def cancel_render(self, render_id: str) -> None:
        """Cancel a render."""
        await self._play("cancel_render", render_id)

    async def chat(self, text: str) -> None:
        """A turn without routing (the timeline keys' requests)."""
        await self._play("chat", text)

    async def preview(self, at_ms: int) -> None:
        """A still at a time."""
        await self._play("preview", at_ms)

    async def storyboard(self, times: Sequence[int]) -> None:
        """Stills for the storyboard."""
        await self._play("storyboard", list(times))

    async def list_sessions(self) -> None:
        """The sessions list."""
        await self._play("list_sessions")

    async def switch_session(self, session_id: str) -> None:
        """Another session."""
        await self._play("switch_session", session_id)

    async def stop(self) -> None:
        """Stop."""
        self.stopped = True


def turn_events(reply: str, chunks: int = 4) -> list[ev.WorkerEvent]:
    """A whole turn: a tool call, the reply in pieces, the final text, the new state."""
    size = max(1, len(reply) // chunks)
    pieces = [reply[i:i + size] for i in range(0, len(reply), size)]
    return [
        ev.TurnStarted("make it"),
        ev.ToolStarted("plan_video", "planning the storyboard"),
        ev.ToolFinished("plan_video", "storyboard ready: 3 tracks"),
        *[ev.ReplyDelta(piece) for piece in pieces],
        ev.ReplyFinal(reply),
        ev.StateUpdated(state_of(URBAN_DREAMS), None),
        ev.TurnFinished(ok=True),
    ]


def screen_text(app: Any) -> str:
    """The app's screen as plain text (for assertions)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True,
                      force_terminal=True, color_system=None, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True,
                                                       screen_stack=app._background_screens))
    return console.export_text()


async def until(pilot: Any, check: Callable[[], object], timeout: float = 60.0, step: float = 0.05) -> None:
    """Wait (polling) until `check()` is true; a busy machine makes fixed pauses flaky."""
    import asyncio

    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not check():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting; screen:\n{screen_text(pilot.app)}")
        await pilot.pause(step)
