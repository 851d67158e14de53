"""Past sessions: list the backend's sessions and switch to one (`SessionSwitch`, composed by the app)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from textual.app import App

from reelterm.tui.contract import CallWorker, WorkerLike
from reelterm.tui.widgets.chat import ChatLog
from reelterm.tui.widgets.render_queue import RenderQueue
from reelterm.tui.widgets.sessions import SessionsScreen
from reelterm.tui.widgets.timeline import Timeline
from reelterm.worker import events as ev

log = logging.getLogger("reelterm.tui")


class SessionSwitch:
    """Opens the sessions list, fills it when the worker's list arrives, and switches sessions.

    `app` is where it finds the panels and opens the list; `ask` calls the worker (`list_sessions`);
    `backend` is the worker in use (None before one is made); `resuming` is called just before a
    switch, so the state that comes back is announced as the continued session.
    """

    SHOWS = (ev.SessionsListed,)
    """The worker events it shows (the app routes them here like to a widget)."""

    def __init__(self, app: App[Any], ask: CallWorker, backend: Callable[[], WorkerLike | None],
                 resuming: Callable[[], None]) -> None:
        self.app = app
        self.ask = ask
        self.backend = backend
        self.resuming = resuming

    def open(self) -> None:
        """List past sessions of this backend; picking one switches to it."""
        backend = self.backend()
        if backend is None:
            self.app.notify("Not connected yet; the sessions list comes from the backend.", severity="warning")
            return
        current = backend.session_id

        def picked(session_id: str | None) -> None:
            if session_id and session_id != current:
                self.app.call_later(self.switch_to, session_id)

        self.app.push_screen(SessionsScreen(current), picked)
        self.ask("list_sessions")

    async def show_event(self, event: ev.WorkerEvent) -> None:
        """The sessions arrived: fill the list if it is still open."""
        screen = self.app.screen
        if isinstance(event, ev.SessionsListed) and isinstance(screen, SessionsScreen):
            screen.fill(event.sessions, event.available)

    async def switch_to(self, session_id: str) -> None:
        """Empty the panels, then the worker brings the session's chat, timeline and renders."""
        backend = self.backend()
        if backend is None:
            return
        renders = self.app.query_one(RenderQueue)
        await self.app.query_one(ChatLog).remove_children()
        self.app.query_one(Timeline).set_draft(None)
        await renders.clear_finished()
        self.resuming()
        try:
            await backend.switch_session(session_id)
        except Exception as exc:  # noqa: BLE001 - said in the chat, never raised
            log.warning("switching sessions failed", exc_info=exc)
            await self.app.query_one(ChatLog).add_error("Could not switch to that session.",
                                                        "Press ctrl+r, then try again.")
            return
        renders.restore_history(backend.journal, backend.session_id)
