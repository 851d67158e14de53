"""The app's link to the backend worker (`WorkerLink`): made once the first screen is up, started,
called by method name and stopped once; messages typed before it is ready wait in its `Outbox`."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.app import App

from reelterm.tui.contract import CallWorker, Emit, WorkerFactory, WorkerLike, run_quietly
from reelterm.tui.routing import sentence_of
from reelterm.tui.widgets.chat import ChatLog
from reelterm.tui.widgets.render_queue import RenderQueue
from reelterm.tui.widgets.status_bar import StatusBar
from reelterm.worker import events as ev

log = logging.getLogger("reelterm.tui")


class Outbox:
    """Messages typed while the backend is being opened: held, then sent in order once connected
    (or listed as not sent when it cannot be reached). `ask` calls the worker (`send`)."""

    def __init__(self, app: App[Any], ask: CallWorker) -> None:
        self.app = app
        self.ask = ask
        self.waiting: list[str] = []
        """Messages typed before the backend was ready, oldest first."""

    @property
    def chat(self) -> ChatLog:
        """The chat that says what happens to the held messages."""
        return self.app.query_one(ChatLog)

    async def keep(self, text: str) -> None:
        """Hold a message typed while connecting; it goes out once connected."""
        self.waiting.append(text)
        await self.chat.add_notice("Not connected yet: this message will be sent as soon as the "
                                   "backend is ready.")

    async def flush(self) -> None:
        """Connected: send what was typed meanwhile, once each, in order."""
        waiting, self.waiting = self.waiting, []
        if waiting:
            await self.chat.add_notice(f"Connected: sending the {len(waiting)} message(s) typed while "
                                       "connecting.")
        for text in waiting:  # the worker runs turns one at a time, in this order
            self.ask("send", text)

    async def drop(self) -> None:
        """The backend could not be reached: say which messages were not sent."""
        waiting, self.waiting = self.waiting, []
        if waiting:
            await self.chat.add_error(f"{len(waiting)} message(s) typed while connecting were not sent: "
                                      "the backend could not be reached.",
                                      "They are in the message history (up arrow); send them again "
                                      "once connected (ctrl+r retries).")


class WorkerLink:
    """The backend worker the app talks to, and whether it is ready.

    `app` runs its background work and holds the status bar, chat and render queue it updates;
    `factory` makes the worker (None: the app stays offline); `emit` is the app's event callback
    (the worker gets it, and failures here become `ErrorRaised` through it).
    """

    def __init__(self, app: App[Any], factory: WorkerFactory | None, emit: Emit, *,
                 session_id: str | None = None, new_session: bool = False, log_file: Path | None = None,
                 on_shutdown: Callable[[], Awaitable[None]] | None = None) -> None:
        self.app = app
        self.factory = factory
        self.emit = emit
        self.session_id = session_id
        """The session to continue at the first connect (None: the newest)."""
        self.new_session = new_session
        self.log_file = log_file
        """Where warnings and tracebacks go while the app runs (named in error messages)."""
        self.on_shutdown = on_shutdown
        self.backend: WorkerLike | None = None
        """The worker, once made (kept when starting a session failed: ctrl+r asks it again)."""
        self.connected = False
        """True once the worker has a session."""
        self.connecting = False
        """True while the backend is being opened (messages typed meanwhile wait for it)."""
        self.resuming = False
        """True while the state fetched right after connecting is on its way."""
        self.outbox = Outbox(app, self.call)

    @property
    def status(self) -> StatusBar:
        """The status bar that shows the connection."""
        return self.app.query_one(StatusBar)

    def log_hint(self) -> str:
        """Where the details of a failure are (' Details: FILE'), or ''."""
        return f" Details: {self.log_file}" if self.log_file is not None else ""

    def connect(self) -> None:
        """Make the worker (once) and start its session in the background; then bring back the
        chat, send what was typed meanwhile, and fetch credits, past renders and the state."""
        self.app.run_worker(self._connect(), group="connect", exclusive=True, exit_on_error=False)

    async def _connect(self) -> None:
        assert self.factory is not None
        self.status.connection = "connecting…"
        self.connected = False
        self.connecting = True
        try:
            backend = self.backend
            if backend is None:  # a worker that failed to start a session is asked again
                made = self.factory(self.emit)
                backend = await made if inspect.isawaitable(made) else made
                self.backend = backend
            started = await backend.start(session_id=self.session_id, new=self.new_session)
            if started is False:  # the worker said why (an ErrorRaised)
                self.status.connection = "offline"
                self.connecting = False
                await self.outbox.drop()
                return
            self.connected = True
            self.connecting = False
            await backend.load_history()  # the chat so far comes back before anything new is sent
            await self.outbox.flush()
            await backend.refresh_credits()
            self.app.query_one(RenderQueue).restore_history(backend.journal, backend.session_id)
            self.resuming = True  # the state fetched now is announced as the continued session
            await backend.refresh_state()
            self.app.call_later(setattr, self, "resuming", False)  # runs after its StateUpdated
        except Exception as exc:  # noqa: BLE001 - shown to the user, never raised
            log.warning("connecting failed", exc_info=exc)
            self.status.connection = "offline"
            self.connecting = False
            await self.outbox.drop()
            self.emit(ev.ErrorRaised(sentence_of(exc, "Could not reach the backend"),
                                     "Check the --api setting, then press ctrl+r to retry."
                                     + self.log_hint()))

    async def submit(self, text: str) -> None:
        """Send a typed message, or hold it while the backend is still being opened."""
        if self.outbox.waiting or not self.connected and (
                self.connecting or self.factory is not None and self.backend is None
                and self.status.connection != "offline"):
            await self.outbox.keep(text)
            return
        self.call("send", text)

    def call(self, name: str, *args: Any, **kwargs: Any) -> None:
        """Call the worker's method `name` in the background; failures become error messages."""
        self.app.run_worker(self._call(name, *args, **kwargs), group="backend", exit_on_error=False)

    async def _call(self, name: str, *args: Any, **kwargs: Any) -> None:
        if self.backend is None or (not self.connected and name not in ("start", "stop")):
            self.emit(ev.ErrorRaised("Not connected to a backend.",
                                     "Wait for the status bar to say connected, or press ctrl+r "
                                     "to try again."))
            return
        try:
            result = getattr(self.backend, name)(*args, **kwargs)  # a `WorkerLike` method, by name
            if inspect.isawaitable(result):
                await result
        except Exception as exc:  # noqa: BLE001 - shown to the user, never raised
            log.warning("worker call %s failed", name, exc_info=exc)
            self.emit(ev.ErrorRaised(sentence_of(exc, f"The {name.replace('_', ' ')} failed"),
                                     getattr(exc, "action", "") or self.log_hint().strip()))

    async def stop(self) -> None:
        """Stop the worker once (cancels its tasks), then close the backend."""
        backend, self.backend = self.backend, None
        shutdown, self.on_shutdown = self.on_shutdown, None
        await run_quietly(backend.stop if backend is not None else None, shutdown)
