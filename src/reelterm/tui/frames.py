"""The app's frame previews: the rendered frame at the playhead, the storyboard, and their cache."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.css.query import NoMatches

from reelterm.tui.edits import main_track
from reelterm.tui.messages import PreviewRequested
from reelterm.tui.preview import graphics_enabled, load_image, segment_preview
from reelterm.worker import events as ev
from reelterm.worker.draft_keys import draft_key

if TYPE_CHECKING:
    from collections.abc import Callable

    from reelterm.tui.widgets.preview_pane import PreviewPane
    from reelterm.tui.widgets.timeline import Timeline

log = logging.getLogger("reelterm.tui")
DEBOUNCE_S = 0.08
"""Keys held down move the playhead many times; only where it stops is rendered."""


class FramesMixin:
    """Mixed into `ReelApp`: asks the worker for stills and shows the current one."""

    timeline: Timeline
    connected: bool
    call_worker: Callable[..., object]
    notify: Callable[..., object]
    set_timer: Callable[..., Any]
    push_screen: Callable[..., Any]
    query_one: Callable[..., Any]
    size: Any

    def _frames_init(self) -> None:
        self.frame_cache: dict[tuple[str, int], Path] = {}
        """(draft key, ms) -> the still file the backend rendered."""
        self._frame_timer: Any = None
        self._frame_modal: tuple[str, int] | None = None
        self._board_asked: tuple[str, tuple[int, ...]] | None = None

    @property
    def pane(self) -> PreviewPane:
        """The preview pane (shown only in wide terminals)."""
        from reelterm.tui.widgets.preview_pane import PreviewPane

        return self.query_one(PreviewPane)

    def pane_visible(self) -> bool:
        """True when the terminal is wide enough for the preview pane (and the app is running)."""
        try:
            pane = self.pane
        except NoMatches:  # the app is closing
            return False
        return bool(pane.display) and pane.region.width > 0

    def current_frame(self) -> tuple[str, int]:
        """(draft key, playhead ms) the preview should show now."""
        return draft_key(self.timeline.draft), int(self.timeline.playhead_ms)

    async def want_frame(self) -> None:
        """The playhead or the draft changed: show the cached frame, or ask for it (debounced)."""
        try:
            await self._want_frame()
        except NoMatches:  # the app closed meanwhile
            pass

    async def _want_frame(self) -> None:
        if not self.pane_visible():
            return
        draft = self.timeline.draft
        if draft is None or not draft.ready:
            await self.pane.show_status("No timeline yet: the frame at the playhead shows here.")
            return
        want = self.current_frame()
        self.want_storyboard()
        if self.pane.shown == want:
            return
        cached = self.frame_cache.get(want)
        if cached is not None and cached.is_file():
            await self._show_cached(want, cached)
            return
        await self.pane.show_status(f"Rendering the frame at {want[1] / 1000:.2f} s…")
        if self._frame_timer is not None:
            self._frame_timer.stop()
        self._frame_timer = self.set_timer(DEBOUNCE_S, lambda: self._ask(want))

    async def on_timeline_playhead_moved(self) -> None:
        """The playhead moved (or the draft under it changed, or the selection): the pane follows."""
        await self.want_frame()

    def _ask(self, want: tuple[str, int]) -> None:
        if self.current_frame() == want and self.connected:
            self.call_worker("preview", want[1])

    async def _show_cached(self, want: tuple[str, int], path: Path) -> None:
        try:
            image = await asyncio.to_thread(load_image, path, 960 if graphics_enabled() else 320)
        except Exception as exc:  # noqa: BLE001 - a damaged cache file: say so
            await self.pane.show_status(f"The preview file could not be read ({type(exc).__name__}).")
            return
        if self.current_frame() == want:  # still current after the load
            await self.pane.show_frame(*want, image, f"{want[1] / 1000:.2f} s · rendered by the backend")

    def want_storyboard(self) -> None:
        """Ask for one frame per scene (mid-scene) of the current draft, once per draft."""
        draft = self.timeline.draft
        if not self.pane_visible() or draft is None or not draft.ready or not self.connected:
            return
        track = main_track(draft)
        times = tuple(seg.s + seg.d // 2 for seg in sorted(track.sg, key=lambda s: s.s))[:8] if track else ()
        key = draft_key(draft)
        if self._board_asked == (key, times):
            return
        self._board_asked = (key, times)
        self.call_later_board(key, times)

    def call_later_board(self, key: str, times: tuple[int, ...]) -> None:
        """Lay out the strip, fill what is cached, ask the worker for the rest."""
        async def run() -> None:
            if not self.pane_visible():
                return
            await self.pane.set_board(key, times)
            missing = []
            for at in times:
                path = self.frame_cache.get((key, at))
                if path is not None and path.is_file():
                    image = await asyncio.to_thread(load_image, path, 320)
                    await self.pane.board_frame(key, at, image)
                else:
                    missing.append(at)
            if missing:
                self.call_worker("storyboard", missing)

        self.run_worker(run(), group="storyboard", exclusive=True, exit_on_error=False)

    run_worker: Callable[..., Any]
    local_files: dict[str, Path]
    post_message: Callable[..., Any]

    async def frame_event(self, event: ev.PreviewReady | ev.PreviewFailed) -> None:
        """A still arrived (or could not be made): show it only if it is still the current one."""
        try:
            await self._frame_event(event)
        except NoMatches:  # the app closed meanwhile
            pass

    async def _frame_event(self, event: ev.PreviewReady | ev.PreviewFailed) -> None:
        want = (event.key, event.at_ms)
        if isinstance(event, ev.PreviewFailed):
            if self.pane_visible() and self.current_frame() == want:
                await self.pane.show_status(f"No preview: {event.sentence}")
            if self._frame_modal == want:
                self._frame_modal = None
                self.notify(f"No preview: {event.sentence}", severity="warning")
            return
        self.frame_cache[want] = event.path
        if self._frame_modal == want:
            self._frame_modal = None
            self._open_modal(want, event.path)
        if self.pane_visible():
            if self.current_frame() == want:
                await self._show_cached(want, event.path)
            board = self.pane.board
            if board is not None and board[0] == event.key and event.at_ms in board[1]:
                image = await asyncio.to_thread(load_image, event.path, 320)
                await self.pane.board_frame(event.key, event.at_ms, image)

    def action_preview_segment(self) -> None:
        """A frame of the selected segment's own file or colour (the palette's command)."""
        selected = self.timeline.selected()
        if selected is None:
            self.notify("Select a segment on the timeline first (F3).", severity="warning")
            return
        found = segment_preview(selected[0], selected[2], self.local_files)
        if isinstance(found, str):
            self.notify(found, severity="warning")
        else:
            self.post_message(found)

    def action_preview_frame(self) -> None:
        """The rendered frame at the playhead, as big as the screen allows."""
        draft = self.timeline.draft
        if draft is None or not draft.ready:
            self.notify("The timeline is empty, so there is no frame to show.", severity="warning")
            return
        want = self.current_frame()
        cached = self.frame_cache.get(want)
        if cached is not None and cached.is_file():
            self._open_modal(want, cached)
            return
        self._frame_modal = want
        self.notify(f"Rendering the frame at {want[1] / 1000:.2f} s…", timeout=2)
        self.call_worker("preview", want[1])

    def on_preview_requested(self, message: PreviewRequested) -> None:
        """A widget asks for a frame of a file or a colour: show it as big as the screen allows."""
        from reelterm.tui.preview import PreviewScreen

        self.push_screen(PreviewScreen(message.title, message.path, message.at_ms, message.color))

    def _open_modal(self, want: tuple[str, int], path: Path) -> None:
        from reelterm.tui.preview import PreviewScreen

        if self.current_frame() != want:
            return  # the timeline moved on meanwhile: never show a stale frame as current
        self.push_screen(PreviewScreen(f"Frame at {want[1] / 1000:.2f} s", path, at_ms=want[1]))
