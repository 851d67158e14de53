"""The app's editing side: timeline keys as chat requests, the inline text editor, messages typed
before the backend is ready, sessions, chat history and opening finished renders."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reelterm.tui.edits import EditRefused, edit_request
from reelterm.tui.widgets.text_editor import SegmentTextEditor
from reelterm.tui.widgets.timeline import Timeline
from reelterm.worker import events as ev

if TYPE_CHECKING:
    from collections.abc import Callable

    from reelterm.tui.widgets.chat import ChatLog

log = logging.getLogger("reelterm.tui")


def has_display(env: dict[str, str] | None = None, platform: str | None = None) -> bool:
    """True when a system player can open a window here (macOS, Windows, or X11/Wayland)."""
    env = dict(os.environ) if env is None else env
    platform = sys.platform if platform is None else platform
    if platform == "darwin" or platform.startswith("win"):
        return "SSH_CONNECTION" not in env
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def opener_argv(path: Path, platform: str | None = None) -> list[str] | None:
    """The argv that opens `path` with the system's player (never a shell), or None."""
    platform = sys.platform if platform is None else platform
    if platform == "darwin":
        tool = shutil.which("open")
    elif platform.startswith("win"):
        return None  # os.startfile would be the way; not offered from a terminal here
    else:
        tool = shutil.which("xdg-open")
    return [tool, str(path)] if tool else None


class EditingMixin:
    """Mixed into `ReelApp`."""

    timeline: Timeline
    chat: ChatLog
    connected: bool
    backend: Any
    session_id: str | None
    call_worker: Callable[..., object]
    notify: Callable[..., object]
    query_one: Callable[..., Any]
    push_screen: Callable[..., Any]
    screen: Any

    def _editing_init(self) -> None:
        self.waiting_messages: list[str] = []
        """Messages typed before the backend was ready, sent once it connects."""

    # ---- timeline keys ------------------------------------------------------------------

    async def on_timeline_edit_requested(self, message: Timeline.EditRequested) -> None:
        """An editing key: its chat request, or why it cannot be made (in the chat)."""
        timeline = self.timeline
        selected = timeline.selected()
        try:
            request = edit_request(message.kind, message.amount, timeline.draft, selected,
                                   timeline.playhead_ms)
        except EditRefused as refused:
            await self.chat.add_notice(str(refused), warning=True)
            return
        if message.kind == "text":
            await self._open_text_editor(selected)
            return
        await self.send_edit(request)

    async def send_edit(self, request: str) -> None:
        """Send one exact timeline request through the worker's chat path (both backends)."""
        if not self.connected:
            await self.chat.add_notice("Not connected yet, so the timeline cannot change; wait for "
                                       "the status bar to say connected.", warning=True)
            return
        await self.chat.add_user(request)
        self.call_worker("chat", request)

    async def _open_text_editor(self, selected: Any) -> None:
        for old in self.query_one("#side").query(SegmentTextEditor):
            await old.remove()
        seg = selected[2]
        editor = SegmentTextEditor(seg.id, seg.m.text or "", id="segment-text")
        await self.query_one("#side").mount(editor, after=self.timeline)
        editor.focus()

    async def on_segment_text_editor_saved(self, message: SegmentTextEditor.Saved) -> None:
        """The new words of a text segment: send them (or keep the editor open and say why)."""
        selected = self.timeline.selected()
        if selected is None or selected[2].id != message.segment_id:
            await self.chat.add_notice("The timeline changed while you typed; select the text "
                                       "segment again (nothing was sent).", warning=True)
            await self._close_text_editor()
            return
        try:
            request = edit_request("text", 0, self.timeline.draft, selected, self.timeline.playhead_ms,
                                   text=message.text)
        except EditRefused as refused:
            self.notify(str(refused), severity="warning")
            return  # the editor stays open with the words
        await self._close_text_editor()
        await self.send_edit(request)

    async def on_segment_text_editor_closed(self) -> None:
        """Escape in the editor."""
        await self._close_text_editor()

    async def _close_text_editor(self) -> None:
        for editor in self.query_one("#side").query(SegmentTextEditor):
            await editor.remove()
        self.timeline.focus()

    # ---- messages typed before the backend is ready ------------------------------------------

    async def keep_until_connected(self, text: str) -> None:
        """Hold a message typed while connecting; it goes out once connected."""
        self.waiting_messages.append(text)
        await self.chat.add_notice("Not connected yet: this message will be sent as soon as the "
                                   "backend is ready.")

    async def flush_waiting(self) -> None:
        """Connected: send what was typed meanwhile, once each, in order."""
        waiting, self.waiting_messages = self.waiting_messages, []
        if waiting:
            await self.chat.add_notice(f"Connected: sending the {len(waiting)} message(s) typed while "
                                       "connecting.")
        for text in waiting:  # the worker runs turns one at a time, in this order
            self.call_worker("send", text)

    async def drop_waiting(self) -> None:
        """The backend could not be reached: say which messages were not sent."""
        waiting, self.waiting_messages = self.waiting_messages, []
        if waiting:
            await self.chat.add_error(f"{len(waiting)} message(s) typed while connecting were not sent: "
                                      "the backend could not be reached.",
                                      "They are in the message history (up arrow); send them again "
                                      "once connected (ctrl+r retries).")

    # ---- sessions and chat history ---------------------------------------------------------

    def action_sessions(self) -> None:
        """List past sessions of this backend and switch to one."""
        from reelterm.tui.widgets.sessions import SessionsScreen

        if not self.connected:
            self.notify("Not connected yet; the sessions list comes from the backend.", severity="warning")
            return

        def picked(session_id: str | None) -> None:
            current = getattr(self.backend, "session_id", None)
            if session_id and session_id != current:
                self.call_later(self.switch_to, session_id)

        self.push_screen(SessionsScreen(getattr(self.backend, "session_id", None)), picked)
        self.call_worker("list_sessions")

    call_later: Callable[..., Any]

    async def switch_to(self, session_id: str) -> None:
        """Empty the panels, then the worker brings the session's chat, timeline and renders."""
        await self.chat.remove_children()
        self.timeline.set_draft(None)
        await self.renders.clear_finished()
        self.resuming = True
        try:
            await self.backend.switch_session(session_id)
        except Exception as exc:  # noqa: BLE001 - said in the chat, never raised
            log.warning("switching sessions failed", exc_info=exc)
            await self.chat.add_error("Could not switch to that session.", "Press ctrl+r, then try again.")
            return
        self.show_past_renders(self.backend)

    resuming: bool
    renders: Any
    show_past_renders: Callable[..., None]

    def sessions_listed(self, event: ev.SessionsListed) -> None:
        """Fill the sessions screen if it is open."""
        from reelterm.tui.widgets.sessions import SessionsScreen

        if isinstance(self.screen, SessionsScreen):
            self.screen.fill(event.sessions, event.available)

    # ---- finished renders ----------------------------------------------------------------

    def open_render(self, path: Path) -> str:
        """Open a finished file with the system's player, else copy its path; returns what happened."""
        argv = opener_argv(path) if has_display() else None
        if argv is not None:
            try:
                subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,  # noqa: S603
                                 stderr=subprocess.DEVNULL, start_new_session=True)
                return f"Opening {path.name} with {Path(argv[0]).name}."
            except OSError as exc:
                log.warning("could not start %s", argv[0], exc_info=exc)
        self.copy_to_clipboard(str(path))
        return f"No display to play it here, so the path was copied: {path}"

    copy_to_clipboard: Callable[[str], None]
