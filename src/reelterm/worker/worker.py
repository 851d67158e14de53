"""`BackendWorker`: owns the client and the session, runs commands, emits plain events."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from reelterm.client import (
    FileTooLarge,
    NemoClient,
    ReelError,
    RouteMissing,
    SessionNotFound,
    UnsupportedFile,
)
from reelterm.config import HOSTED_API, AppPaths, Settings, app_paths
from reelterm.protocol import Credits, SessionState, UploadResult
from reelterm.worker.events import (
    Connected,
    CreditsUpdated,
    Emit,
    ErrorRaised,
    Notice,
    StateUpdated,
    TurnFinished,
    WorkerEvent,
)
from reelterm.worker.exports import export_draft
from reelterm.worker.intents import local_path, route
from reelterm.worker.journal import Journal, RenderRecord
from reelterm.worker.options import Backend, WorkerTimings
from reelterm.worker.previews import preview as preview_frame
from reelterm.worker.renders import RenderManager
from reelterm.worker.sessions import list_sessions, load_history, pick_session, replace_session
from reelterm.worker.state_diff import describe_state, summarize_change
from reelterm.worker.turn_flow import run_turn
from reelterm.worker.uploads import upload_items

log = logging.getLogger("reelterm.worker")
T = TypeVar("T")


def _guarded(emit: Emit) -> Emit:
    """`emit`, but a failing callback is logged instead of breaking the command that emitted."""

    def call(event: WorkerEvent) -> None:
        try:
            emit(event)
        except Exception:  # noqa: BLE001 - the owner's bug must not stop the worker
            log.exception("the emit callback failed on %s", type(event).__name__)

    return call


class BackendWorker:
    """The one backend worker: every command is an `async` method, every outcome an event."""

    def __init__(self, backend: Backend, *, paths: AppPaths | None = None,
                 settings: Settings | None = None, emit: Emit,
                 timings: WorkerTimings | None = None) -> None:
        self.backend = backend
        self.paths = paths or app_paths()
        self.settings = settings or Settings()
        self.emit: Emit = _guarded(emit)
        self.timings = timings or WorkerTimings()
        self.journal = Journal(self.paths, backend.key)
        self.session_id: str | None = None
        self.client: NemoClient | None = None
        self.renders: RenderManager | None = None
        self.last_state: SessionState | None = None
        self._state_fresh = False
        self._state_route = True
        self._warned_state = False
        self._turn_lock = asyncio.Lock()
        self._turn_task: asyncio.Task[Any] | None = None
        self._cancelling = False
        self._background: set[asyncio.Task[Any]] = set()
        self._previews: dict[str, asyncio.Task[Any]] = {}

    # ---- poll intervals -------------------------------------------------------------------

    @property
    def state_poll_s(self) -> float:
        """Seconds between state polls after a broken stream."""
        value = self.timings.state_poll_s
        return value if value is not None else (1.0 if self.backend.nearby else 30.0)

    @property
    def render_poll_s(self) -> float:
        """Seconds between render status polls."""
        value = self.timings.render_poll_s
        return value if value is not None else (1.0 if self.backend.nearby else 30.0)

    @property
    def state_route_missing(self) -> bool:
        """True once the backend answered 404 on the state route (a plain ADK server)."""
        return not self._state_route

    @property
    def busy(self) -> bool:
        """True while a message turn runs."""
        return self._turn_task is not None and not self._turn_task.done()

    @property
    def export_dir(self) -> Path:
        """Where finished videos go."""
        return local_path(self.settings.export_dir) if self.settings.export_dir else self.paths.export_dir

    # ---- life cycle -----------------------------------------------------------------------

    def open(self) -> None:
        """Create the client without touching the backend (enough for `refresh_credits`)."""
        if self.client is None:
            hosted = self.backend.base_url.rstrip("/") == HOSTED_API.rstrip("/")
            source = "text-to-ai" if hosted else "reelterm"  # the hosted API wants a known skill name
            self.client = NemoClient(self.backend.base_url, paths=self.paths, token=self.backend.token,
                                     rate_limit_wait_s=self.settings.rate_limit_wait_s,
                                     skill_source=source, skill_platform=self.settings.skill_platform,
                                     upload_types=self.backend.upload_types)
            self.renders = RenderManager(self.client, self.journal, self.emit, self.export_dir,
                                         self.render_poll_s)

    async def start(self, session_id: str | None = None, new: bool = False, resume: bool = True) -> bool:
        """Open the client and pick the session (given, remembered, or new); resume unfinished renders.

        Returns False (after an `ErrorRaised`) when no session could be had.
        """
        self.open()
        sid = await pick_session(self, session_id, new)
        if sid is None:
            return False
        self.use_session(sid)
        self.emit(Connected(self.backend.label or self.backend.base_url, self.backend.base_url, sid,
                            self.backend.is_local, self.journal.local_copies(), self.backend.upload_types))
        pending = self.renders.resume() if self.renders and resume else []
        if pending:
            self.emit(Notice(f"Resuming {len(pending)} unfinished export(s)."))
        return True

    async def load_history(self) -> None:
        """Emit the session's kept chat (`HistoryLoaded`; nothing on a backend without the route)."""
        if self.client is not None and self.session_id is not None:
            await load_history(self, self.session_id)

    async def stop(self) -> None:
        """Cancel the turn and background tasks, stop following renders (the journal keeps them), close."""
        if self._turn_task is not None and not self._turn_task.done():
            self._cancelling = True
            self._turn_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._turn_task
        for task in list(self._background):
            task.cancel()
        for task in list(self._background):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self.renders is not None:
            await self.renders.stop()
        if self.client is not None:
            await self.client.aclose()
            self.client = None

    def background(self, coro: Awaitable[T]) -> asyncio.Task[T]:
        """Run a command beside the others (e.g. credits during a turn); cancelled by `stop()`."""
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    async def wait_renders(self, ids: Sequence[str] | None = None) -> None:
        """Wait until the followed renders (all, or those in `ids`) are downloaded or failed."""
        if self.renders is not None:
            await self.renders.wait(ids)

    # ---- shared plumbing ------------------------------------------------------------------

    def use_session(self, sid: str, state: SessionState | None = None) -> None:
        """Switch to session `sid` (remembered in the journal); `state` is its state when just fetched."""
        if sid != self.session_id:
            self.last_state, self._state_fresh = None, False
        self.session_id = sid
        self.journal.set_session(sid)
        if state is not None:
            self.last_state, self._state_fresh = state, True

    def note_state_route_missing(self) -> None:
        """The backend answered 404 on the state route (a plain ADK server): stop asking."""
        self._state_route = False

    def _not_connected(self) -> None:
        self.emit(ErrorRaised("The worker is not connected.", "Start it first.", detail={"kind": "NotStarted"}))

    def error_event(self, exc: ReelError) -> ErrorRaised:
        """The event for a client error: sentence, action, code and a few machine-readable details."""
        detail: dict[str, Any] = {"kind": type(exc).__name__}
        if exc.status is not None:
            detail["status"] = exc.status
        bind_url = getattr(exc, "bind_url", None)
        if bind_url:
            detail["bind_url"] = bind_url
        code = int(exc.code) if exc.code is not None else None
        return ErrorRaised(exc.sentence, exc.action, code=code, detail=detail,
                           bad_input=isinstance(exc, UnsupportedFile | FileTooLarge))

    async def replace_session(self) -> None:
        """The backend lost the session (1002): start a new one and say so."""
        await replace_session(self)

    async def guarded_call(self, fn: Callable[[], Awaitable[T]]) -> T | None:
        """Run one client call; errors become events (1002 also replaces the session)."""
        if self.client is None:
            self._not_connected()
            return None
        try:
            return await fn()
        except SessionNotFound:
            await self.replace_session()
        except ReelError as exc:
            self.emit(self.error_event(exc))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the app
            log.exception("worker command failed")
            self.emit(ErrorRaised(f"Something went wrong inside reelterm ({type(exc).__name__}).",
                                  "Please report this with the log.", detail={"kind": "InternalError"}))
        return None

    async def fetch_state(self, quiet: bool = False) -> SessionState | None:
        """The session state, remembered as `last_state`; `quiet` turns errors into None (and a warning)."""
        assert self.client is not None and self.session_id is not None
        if not self._state_route:
            return None
        try:
            state = await self.client.state(self.session_id)
        except RouteMissing:
            self.note_state_route_missing()
            if not quiet:
                raise
            return None
        except ReelError:
            if not quiet:
                raise
            return None
        self.last_state, self._state_fresh = state, True
        return state

    def warn_no_state(self) -> None:
        """Say once that this backend cannot show its timeline."""
        if not self._warned_state:
            self._warned_state = True
            self.emit(Notice("This backend has no session-state route, so reelterm cannot show the "
                             "timeline or what changed.", warning=True))

    async def state_before_turn(self) -> SessionState | None:
        """The state to compare a turn's result with (fetched unless already current)."""
        if self._state_fresh and self.last_state is not None:
            return self.last_state
        return await self.fetch_state(quiet=True)

    def mark_state_stale(self) -> None:
        """Something may have changed the state behind the worker's back."""
        self._state_fresh = False

    # ---- commands -------------------------------------------------------------------------

    async def send(self, text: str, routed: bool = True) -> None:
        """Handle a user message: route export/credits/state/upload, else one turn with the agent."""
        if not text.strip():
            return
        intent = route(text) if routed else None
        if intent is None or intent.kind == "chat":
            await self.chat(text)
        elif intent.kind == "export":
            await self.export(intent.fmt, intent.quality)
        elif intent.kind == "credits":
            await self.refresh_credits()
        elif intent.kind == "state":
            await self.refresh_state()
        elif not intent.items:
            self.emit(Notice("Name the file to upload, e.g. `upload ~/clips/intro.mp4`, or a web address."))
        else:
            done = await self.upload(intent.items)
            if done is not None and intent.rest:
                await self.chat(intent.rest)

    async def chat(self, text: str) -> None:
        """Send one message to the agent (never routed); turns run one at a time."""
        text = text.encode("utf-8", "replace").decode("utf-8")  # undecodable input bytes become '?'
        async with self._turn_lock:
            if self.client is None:
                self._not_connected()
                return
            self._cancelling = False
            self._turn_task = asyncio.create_task(run_turn(self, text))
            try:
                await self._turn_task
            except asyncio.CancelledError:
                if not self._cancelling:
                    raise
                self.emit(TurnFinished(ok=False, reason="cancelled"))
            finally:
                self._turn_task = None
                self._cancelling = False

    async def cancel_turn(self) -> bool:
        """Stop the running turn (an explicit user action); False when none runs."""
        task = self._turn_task
        if task is None or task.done():
            return False
        self._cancelling = True
        task.cancel()
        return True

    async def upload(self, items: Sequence[str | Path]) -> UploadResult | None:
        """Upload local files (checked first) and web addresses; emits progress and `UploadDone`."""
        if self.client is None or self.session_id is None:
            self._not_connected()
            return None
        return await upload_items(self, items)

    async def refresh_state(self) -> SessionState | None:
        """Fetch the state; `StateUpdated` carries what changed since the last fetch and an overview."""
        before = self.last_state
        state = await self.guarded_call(lambda: self.fetch_state())
        if state is None:
            if not self._state_route:
                self.warn_no_state()
            return None
        summary = summarize_change(before, state, self.settings.language) if before is not None else None
        self.emit(StateUpdated(state, summary, overview=describe_state(state, self.settings.language), reason="refresh"))
        return state

    async def refresh_credits(self) -> Credits | None:
        """Fetch the credit balance."""
        credits = await self.guarded_call(lambda: self.client.credits())  # type: ignore[union-attr]
        if credits is not None:
            self.emit(CreditsUpdated(credits))
        return credits

    async def export(self, fmt: str | None = None, quality: str | None = None,
                     dest: str | Path | None = None) -> RenderRecord | None:
        """Export the current draft: submit, then poll and download in the background."""
        return await export_draft(self, fmt, quality, dest)

    async def preview(self, at_ms: int) -> None:
        """Render the frame at `at_ms` of the current draft (cached); a newer request replaces it."""
        self._single("preview", preview_frame(self, int(at_ms)))

    async def storyboard(self, times_ms: Sequence[int]) -> None:
        """Render one frame per time (a storyboard strip), one after another, after any preview."""
        async def run() -> None:
            for at in times_ms:
                while "preview" in self._previews and not self._previews["preview"].done():
                    await asyncio.sleep(0.05)
                await preview_frame(self, int(at))

        self._single("storyboard", run())

    def _single(self, name: str, coro: Awaitable[Any]) -> None:
        old = self._previews.get(name)
        if old is not None and not old.done():
            old.cancel()
        self._previews[name] = self.background(coro)

    async def list_sessions(self) -> None:
        """Emit `SessionsListed` with the backend's sessions (unavailable on the hosted API)."""
        await list_sessions(self)

    async def switch_session(self, session_id: str) -> None:
        """Use another session of this backend: its chat, timeline and renders come back."""
        if self.client is None:
            self._not_connected()
            return
        self.use_session(session_id)
        self.emit(Connected(self.backend.label or self.backend.base_url, self.backend.base_url, session_id,
                            self.backend.is_local, self.journal.local_copies()))
        await load_history(self, session_id)
        await self.refresh_state()

    async def cancel_render(self, render_id: str) -> None:
        """Cancel a render and stop following it."""
        if self.renders is not None:
            await self.guarded_call(lambda: self.renders.cancel(render_id))  # type: ignore[union-attr]

    async def download(self, render_id: str, dest: str | Path | None = None) -> None:
        """Fetch a render by id in the background: follow it if unfinished, download it when complete."""
        if self.renders is None or self.session_id is None:
            self._not_connected()
            return
        known = {r.id: r for r in self.journal.history() + self.journal.pending()}
        record = known.get(render_id) or RenderRecord(id=render_id, session_id=self.session_id)
        record.dest = str(dest) if dest else record.dest
        record.status, record.path, record.finished_at, record.error = "pending", None, None, None
        self.journal.add_render(record)
        self.renders.track(record)
