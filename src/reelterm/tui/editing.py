"""Timeline keys as chat requests, and the inline text editor (`TimelineEdits`, composed by the app)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.containers import Vertical

from reelterm.protocol import Segment, Track
from reelterm.tui.contract import CallWorker
from reelterm.tui.edits import EditRefused, edit_request
from reelterm.tui.widgets.chat import ChatLog
from reelterm.tui.widgets.text_editor import SegmentTextEditor
from reelterm.tui.widgets.timeline import Timeline


class TimelineEdits:
    """Turns the timeline's editing keys into exact chat requests, and edits a text segment in place.

    `app` is where it finds the timeline, the chat and the side column (the editor opens under the
    timeline); `ask` calls the worker (`chat`); `connected` says whether a request can go out now.
    """

    def __init__(self, app: App[Any], ask: CallWorker, connected: Callable[[], bool]) -> None:
        self.app = app
        self.ask = ask
        self.connected = connected

    @property
    def timeline(self) -> Timeline:
        """The timeline the keys act on."""
        return self.app.query_one(Timeline)

    @property
    def chat(self) -> ChatLog:
        """The chat the requests (and refusals) appear in."""
        return self.app.query_one(ChatLog)

    async def requested(self, message: Timeline.EditRequested) -> None:
        """An editing key: its chat request, or why it cannot be made (in the chat)."""
        timeline = self.timeline
        selected = timeline.selected()
        try:
            request = edit_request(message.kind, message.amount, timeline.draft, selected,
                                   timeline.playhead_ms)
        except EditRefused as refused:
            await self.chat.add_notice(str(refused), warning=True)
            return
        if message.kind == "text" and selected is not None:
            await self._open_text_editor(selected)
            return
        await self.send(request)

    async def send(self, request: str) -> None:
        """Send one exact timeline request through the worker's chat path (both backends)."""
        if not self.connected():
            await self.chat.add_notice("Not connected yet, so the timeline cannot change; wait for "
                                       "the status bar to say connected.", warning=True)
            return
        await self.chat.add_user(request)
        self.ask("chat", request)

    async def _open_text_editor(self, selected: tuple[Track, int, Segment]) -> None:
        side = self.app.query_one("#side", Vertical)
        for old in side.query(SegmentTextEditor):
            await old.remove()
        seg = selected[2]
        editor = SegmentTextEditor(seg.id, seg.m.text or "", id="segment-text")
        await side.mount(editor, after=self.timeline)
        editor.focus()

    async def text_saved(self, message: SegmentTextEditor.Saved) -> None:
        """The new words of a text segment: send them (or keep the editor open and say why)."""
        selected = self.timeline.selected()
        if selected is None or selected[2].id != message.segment_id:
            await self.chat.add_notice("The timeline changed while you typed; select the text "
                                       "segment again (nothing was sent).", warning=True)
            await self.close_text_editor()
            return
        try:
            request = edit_request("text", 0, self.timeline.draft, selected, self.timeline.playhead_ms,
                                   text=message.text)
        except EditRefused as refused:
            self.app.notify(str(refused), severity="warning")
            return  # the editor stays open with the words
        await self.close_text_editor()
        await self.send(request)

    async def close_text_editor(self) -> None:
        """Close the editor (escape, or after sending) and give the timeline the focus back."""
        for editor in self.app.query_one("#side", Vertical).query(SegmentTextEditor):
            await editor.remove()
        self.timeline.focus()

