"""Past sessions: list the backend's sessions and switch to one (`SessionSwitch`, composed by the app)."""

from __future__ import annotations

import logging
from typing import Any

from textual.app import App

from reelterm.tui.connection import WorkerLink
from reelterm.tui.widgets.chat import ChatLog
from reelterm.tui.widgets.render_queue import RenderQueue
from reelterm.tui.widgets.sessions import SessionsScreen
from reelterm.tui.widgets.timeline import Timeline
from reelterm.worker import events as ev

log = logging.getLogger("reelterm.tui")


class SessionSwitch:
    """Opens the sessions list, fills it when the worker's list arrives, and switches sessions.

    `app` is where it finds the panels and opens the list; `link` holds the worker it asks
    (`list_sessions`, `switch_session`) and its `resuming` flag, set before a switch so the state
    that comes back is announced as the continued session.
    """

    SHOWS = (ev.SessionsListed,)
    """The worker events it shows (the app routes them here like to a widget)."""

    def __init__(self, app: App[Any], link: WorkerLink) -> None:
        self.app = app
        self.link = link

    def open(self) -> None:
        """List past sessions of this backend; picking one switches to it."""
        backend = self.link.backend
        if backend is None:
            self.app.notify("Not connected yet; the sessions list comes from the backend.", severity="warning")
            return
        current = backend.session_id

        def picked(session_id: str | None) -> None:
            if session_id and session_id != current:
                self.app.call_later(self.switch_to, session_id)

        self.app.push_screen(SessionsScreen(current), picked)
        self.link.call("list_sessions")

    async def show_event(self, event: ev.WorkerEvent) -> None:
        """The sessions arrived: fill the list if it is still open."""
        screen = self.app.screen
        if isinstance(event, ev.SessionsListed) and isinstance(screen, SessionsScreen):
            screen.fill(event.sessions, event.available)

    async def switch_to(self, session_id: str) -> None:
        """Empty the panels, then the worker brings the session's chat, timeline and renders."""
        backend = self.link.backend
        if backend is None:
            return
        renders = self.app.query_one(RenderQueue)
        await self.app.query_one(ChatLog).remove_children()
        self.app.query_one(Timeline).set_draft(None)
        await renders.clear_finished()
        self.link.resuming = True
        try:
            await backend.switch_session(session_id)
        except Exception as exc:  # noqa: BLE001 - said in the chat, never raised
            log.warning("switching sessions failed", exc_info=exc)
            await self.app.query_one(ChatLog).add_error("Could not switch to that session.",
                                                        "Press ctrl+r, then try again.")
            return
        renders.restore_history(backend.journal, backend.session_id)
