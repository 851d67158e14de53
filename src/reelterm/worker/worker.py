"""`BackendWorker`: the facade the app and the headless commands drive; it composes the jobs."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reelterm.client import NemoClient
from reelterm.config import HOSTED_API, AppPaths, Settings, app_paths
from reelterm.protocol import Credits, SessionState, UploadResult
from reelterm.worker.errors import localize, not_connected
from reelterm.worker.events import (
    Connected,
    Emit,
    Notice,
    PreviewFailed,
    SessionsListed,
    WorkerEvent,
)
from reelterm.worker.exports import Exporter
from reelterm.worker.journal import Journal, RenderRecord
from reelterm.worker.lang import ChatLanguage
from reelterm.worker.message_routes import route
from reelterm.worker.options import Backend, WorkerTimings
from reelterm.worker.paths import local_path
from reelterm.worker.previews import Previewer, preview_dir
from reelterm.worker.queries import Queries
from reelterm.worker.renders import RenderManager
from reelterm.worker.sessions import Sessions
from reelterm.worker.state_cache import StateCache
from reelterm.worker.turn_flow import TurnRunner
from reelterm.worker.uploads import Uploader

log = logging.getLogger("reelterm.worker")


def _guarded(emit: Emit) -> Emit:
    """`emit`, but a failing callback is logged instead of breaking the command that emitted."""

    def call(event: WorkerEvent) -> None:
        try:
            emit(event)
        except Exception:  # noqa: BLE001 - the owner's bug must not stop the worker
            log.exception("the emit callback failed on %s", type(event).__name__)

    return call


@dataclass(frozen=True)
class Jobs:
    """The jobs built on one client (`BackendWorker.open`); each owns its state and gets only the
    pieces it uses. The turn runner sits on top; sessions and renders sit under the other jobs."""

    client: NemoClient
    cache: StateCache
    sessions: Sessions
    renders: RenderManager
    queries: Queries
    exporter: Exporter
    uploader: Uploader
    previewer: Previewer
    turns: TurnRunner


class BackendWorker:
    """The one backend worker: every command is an `async` method, every outcome an event."""

    def __init__(self, backend: Backend, *, paths: AppPaths | None = None,
                 settings: Settings | None = None, emit: Emit,
                 timings: WorkerTimings | None = None) -> None:
        self.backend = backend
        self.paths = paths or app_paths()
        self.settings = settings or Settings()
        self.chat_language = ChatLanguage(self.settings.language)
        """The chat's language: the setting until a turn decides (`TurnRunner`); every line follows it."""
        guarded = _guarded(emit)
        self.emit: Emit = lambda event: guarded(localize(event, self.chat_language.current))
        self.timings = timings or WorkerTimings()
        self.journal = Journal(self.paths, backend.key)
        self.jobs: Jobs | None = None
        """The jobs, once `open()` made the client; kept after `stop()` (their client closed)."""
        self._open = False

    # ---- what the owner reads ---------------------------------------------------------------

    @property
    def state_poll_s(self) -> float:
        """Seconds between state polls after a broken stream."""
        return self.timings.state_poll(self.backend.nearby)

    @property
    def render_poll_s(self) -> float:
        """Seconds between render status polls."""
        return self.timings.render_poll(self.backend.nearby)

    @property
    def export_dir(self) -> Path:
        """Where finished videos go."""
        return local_path(self.settings.export_dir) if self.settings.export_dir else self.paths.export_dir

    @property
    def client(self) -> NemoClient | None:
        """The client while the worker is open, else None."""
        return self.jobs.client if self.jobs is not None and self._open else None

    @property
    def renders(self) -> RenderManager | None:
        """The render manager (exports being followed), once opened."""
        return self.jobs.renders if self.jobs is not None else None

    @property
    def session_id(self) -> str | None:
        """The session in use, if any."""
        return self.jobs.cache.session_id if self.jobs is not None else None

    @property
    def last_state(self) -> SessionState | None:
        """The session state fetched last, if any."""
        return self.jobs.cache.last if self.jobs is not None else None

    @property
    def busy(self) -> bool:
        """True while a message turn runs."""
        return self.jobs is not None and self.jobs.turns.busy

    # ---- life cycle -----------------------------------------------------------------------

    def open(self) -> None:
        """Create the client and the jobs without touching the backend (enough for `refresh_credits`)."""
        if self._open:
            return
        hosted = self.backend.base_url.rstrip("/") == HOSTED_API.rstrip("/")
        source = "text-to-ai" if hosted else "reelterm"  # the hosted API wants a known skill name
        client = NemoClient(self.backend.base_url, paths=self.paths, token=self.backend.token,
                            rate_limit_wait_s=self.settings.rate_limit_wait_s,
                            skill_source=source, skill_platform=self.settings.skill_platform,
                            upload_types=self.backend.upload_types)
        emit, journal, language = self.emit, self.journal, self.settings.language
        cache = StateCache(client, emit)
        sessions = Sessions(client, journal, cache, emit, language)
        renders = RenderManager(client, journal, emit, self.export_dir, self.render_poll_s)
        queries = Queries(client, sessions, cache, emit, language)
        exporter = Exporter(renders, sessions, cache, journal, emit,
                            self.settings.export_format, self.settings.export_quality)
        self.jobs = Jobs(
            client, cache, sessions, renders, queries, exporter,
            Uploader(client, sessions, cache, journal, emit, self.backend.upload_types),
            Previewer(client, cache, emit, preview_dir(self.paths.cache_dir, self.backend.key),
                      self.backend.nearby),
            TurnRunner(client, sessions, cache, emit, queries=queries, exporter=exporter,
                       timings=self.timings, state_poll_s=self.state_poll_s, language=language,
                       chat=self.chat_language))
        self._open = True

    def _connected(self, session_id: str) -> Connected:
        return Connected(self.backend.label or self.backend.base_url, self.backend.base_url, session_id,
                         self.backend.is_local, self.journal.local_copies(), self.backend.upload_types)

    async def start(self, session_id: str | None = None, new: bool = False, resume: bool = True) -> bool:
        """Open the client and pick the session (given, remembered, or new); resume unfinished renders.

        Returns False (after an `ErrorRaised`) when no session could be had.
        """
        self.open()
        jobs = self._jobs()
        if jobs is None:
            return False
        sid = await jobs.sessions.pick(session_id, new)
        if sid is None:
            return False
        jobs.sessions.use(sid)
        self.emit(self._connected(sid))
        pending = jobs.renders.resume() if resume else []
        if pending:
            self.emit(Notice(f"Resuming {len(pending)} unfinished export(s)."))
        return True

    async def load_history(self) -> None:
        """Emit the session's kept chat (`HistoryLoaded`; nothing on a backend without the route)."""
        jobs = self.jobs if self._open else None
        if jobs is not None and jobs.cache.session_id is not None:
            await jobs.sessions.load_history(jobs.cache.session_id)

    async def stop(self) -> None:
        """Cancel the turn and the previews, stop following renders (the journal keeps them), close."""
        jobs = self.jobs
        if jobs is not None:
            await jobs.turns.stop()
            await jobs.previewer.stop()
            await jobs.renders.stop()
            if self._open:
                await jobs.client.aclose()
        self._open = False

    async def wait_renders(self, ids: Sequence[str] | None = None) -> None:
        """Wait until the followed renders (all, or those in `ids`) are downloaded or failed."""
        if self.jobs is not None:
            await self.jobs.renders.wait(ids)

    def _jobs(self, session: bool = False) -> Jobs | None:
        """The jobs when open (and with a session when `session`), else None after `ErrorRaised`."""
        if self.jobs is None or not self._open or (session and self.jobs.cache.session_id is None):
            self.emit(not_connected())
            return None
        return self.jobs

    # ---- commands -------------------------------------------------------------------------

    async def send(self, text: str, routed: bool = True) -> None:
        """Handle a user message: route export/credits/state/upload, else one turn with the agent."""
        if not text.strip():
            return
        where = route(text) if routed else None
        if where is None or where.kind == "chat":
            await self.chat(text)
        elif where.kind == "export":
            await self.export(where.fmt, where.quality)
        elif where.kind == "credits":
            await self.refresh_credits()
        elif where.kind == "state":
            await self.refresh_state()
        elif not where.items:
            self.emit(Notice("Name the file to upload, e.g. `upload ~/clips/intro.mp4`, or a web address."))
        else:
            done = await self.upload(where.items)
            if done is not None and where.rest:
                await self.chat(where.rest)

    async def chat(self, text: str) -> None:
        """Send one message to the agent (never routed); turns run one at a time."""
        if self.jobs is None:
            self.emit(not_connected())
            return
        await self.jobs.turns.chat(text)

    async def cancel_turn(self) -> bool:
        """Stop the running turn (an explicit user action); False when none runs."""
        return self.jobs is not None and self.jobs.turns.cancel()

    async def upload(self, items: Sequence[str | Path]) -> UploadResult | None:
        """Upload local files (checked first) and web addresses; emits progress and `UploadDone`."""
        jobs = self._jobs(session=True)
        return await jobs.uploader.upload(items) if jobs is not None else None

    async def refresh_state(self) -> SessionState | None:
        """Fetch the state; `StateUpdated` carries what changed since the last fetch and an overview."""
        jobs = self._jobs()
        return await jobs.queries.refresh_state() if jobs is not None else None

    async def refresh_credits(self) -> Credits | None:
        """Fetch the credit balance."""
        jobs = self._jobs()
        return await jobs.queries.refresh_credits() if jobs is not None else None

    async def export(self, fmt: str | None = None, quality: str | None = None,
                     dest: str | Path | None = None) -> RenderRecord | None:
        """Export the current draft: submit, then poll and download in the background."""
        jobs = self._jobs()
        return await jobs.exporter.export(fmt, quality, dest) if jobs is not None else None

    async def export_subtitles(self, video: RenderRecord, fmt: str) -> RenderRecord | None:
        """Export the captions as `fmt` (srt/vtt) beside an exported video, with the video's name."""
        jobs = self._jobs()
        return await jobs.exporter.subtitles_beside(video, fmt) if jobs is not None else None

    async def preview(self, at_ms: int) -> None:
        """Render the frame at `at_ms` of the current draft (cached); a newer request replaces it."""
        if self.jobs is None or not self._open:
            self.emit(PreviewFailed("", int(at_ms), "The worker is not connected."))
            return
        self.jobs.previewer.preview(int(at_ms))

    async def storyboard(self, times_ms: Sequence[int]) -> None:
        """Render one frame per time (a storyboard strip), one after another, after any preview."""
        if self.jobs is None or not self._open:
            for at in times_ms:
                self.emit(PreviewFailed("", int(at), "The worker is not connected."))
            return
        self.jobs.previewer.storyboard(times_ms)

    async def list_sessions(self) -> None:
        """Emit `SessionsListed` with the backend's sessions (unavailable on the hosted API)."""
        if self.jobs is None or not self._open:
            self.emit(SessionsListed([], available=False))
            return
        await self.jobs.sessions.list_all()

    async def switch_session(self, session_id: str) -> None:
        """Use another session of this backend: its chat, timeline and renders come back."""
        jobs = self._jobs()
        if jobs is None:
            return
        jobs.sessions.use(session_id)
        self.emit(self._connected(session_id))
        await jobs.sessions.load_history(session_id)
        await jobs.queries.refresh_state()

    async def cancel_render(self, render_id: str) -> None:
        """Cancel a render and stop following it."""
        jobs = self._jobs() if self.jobs is not None else None
        if jobs is not None:
            await jobs.sessions.call(lambda: jobs.renders.cancel(render_id))

    async def download(self, render_id: str, dest: str | Path | None = None) -> None:
        """Fetch a render by id in the background: follow it if unfinished, download it when complete."""
        jobs = self._jobs(session=True)
        if jobs is None or jobs.cache.session_id is None:
            return
        known = {r.id: r for r in self.journal.history() + self.journal.pending()}
        record = known.get(render_id) or RenderRecord(id=render_id, session_id=jobs.cache.session_id)
        record.dest = str(dest) if dest else record.dest
        record.status, record.path, record.finished_at, record.error = "pending", None, None, None
        self.journal.add_render(record)
        jobs.renders.track(record)
