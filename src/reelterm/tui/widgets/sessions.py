"""The sessions screen: past sessions of this backend with title, length and date; enter switches."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from reelterm.tui.bindings import SESSIONS_KEYS, bindings
from reelterm.tui.widgets.timeline_text import fmt_ms


def when(stamp: float, now: float | None = None) -> str:
    """A date for people: `14:05` today, else `2026-12-04 14:05`."""
    if not stamp:
        return "–"
    now = time.time() if now is None else now
    local, today = time.localtime(stamp), time.localtime(now)
    if local[:3] == today[:3]:
        return time.strftime("today %H:%M", local)
    return time.strftime("%Y-%m-%d %H:%M", local)


class SessionsScreen(ModalScreen[str | None]):
    """Pick a past session to continue (its chat, timeline and renders come back)."""

    BINDINGS = bindings(SESSIONS_KEYS)
    DEFAULT_CSS = """
    SessionsScreen { align: center middle; }
    SessionsScreen > Vertical {
        width: 90%; max-width: 110; height: 80%; border: thick $primary; background: $surface;
    }
    SessionsScreen .sessions-status { color: $text-muted; padding: 0 1; height: auto; }
    SessionsScreen DataTable { height: 1fr; }
    """

    def __init__(self, current: str | None = None) -> None:
        super().__init__()
        self.current = current
        self.ids: list[str] = []
        self._done = False

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Sessions"
            box.border_subtitle = "enter switch · esc close"
            yield Static("Asking the backend for its sessions…", classes="sessions-status", markup=False)
            table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("", "title", "length", "messages", "last used")
            yield table
        yield Footer()

    def fill(self, sessions: Sequence[Any], available: bool = True, now: float | None = None) -> None:
        """Show the sessions (newest first); the current one is marked."""
        status = self.query_one(".sessions-status", Static)
        table = self.query_one(DataTable)
        table.clear()
        self.ids = []
        if not available:
            status.update("This backend keeps no list of sessions (the hosted API has none); "
                          "`reelterm --session ID` opens one you know.")
            return
        if not sessions:
            status.update("No sessions yet.")
            return
        status.update(f"{len(sessions)} session(s) on this backend, the most recent first.")
        for item in sessions:
            mark = "●" if item.session_id == self.current else ""
            length = fmt_ms(item.duration_ms) if item.duration_ms else "empty"
            table.add_row(mark, item.title or "(untitled)", length, str(item.messages),
                          when(item.updated_at, now))
            self.ids.append(item.session_id)
        table.focus()

    def action_cursor(self, step: int) -> None:
        """Move the selection."""
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))

    def action_open(self) -> None:
        """Switch to the selected session."""
        table = self.query_one(DataTable)
        if not self._done and self.ids and 0 <= table.cursor_row < len(self.ids):
            self._done = True
            self.dismiss(self.ids[table.cursor_row])

    def action_close(self) -> None:
        """Close without switching."""
        if not self._done:
            self._done = True
            self.dismiss(None)

    def on_data_table_row_selected(self) -> None:
        """Enter (or a click) on a row switches to it."""
        self.action_open()
