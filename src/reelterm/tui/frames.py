"""Frame previews: the rendered frame at the playhead (pane or full screen), the storyboard, and
their cache. The app composes one `FramePreviews` and hands it the worker's stills."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.css.query import NoMatches
from textual.timer import Timer

from reelterm.tui.contract import CallWorker
from reelterm.tui.edits import main_track
from reelterm.tui.preview import PreviewScreen, graphics_enabled, load_image, segment_preview
from reelterm.tui.widgets.preview_pane import PreviewPane
from reelterm.tui.widgets.timeline import Timeline
from reelterm.worker import events as ev
from reelterm.worker.draft_keys import draft_key

log = logging.getLogger("reelterm.tui")
DEBOUNCE_S = 0.08
"""Keys held down move the playhead many times; only where it stops is rendered."""


class FramePreviews:
    """Asks the worker for stills of the draft and shows the current one.

    `app` is where it finds the timeline and the pane and runs timers, screens and notices;
    `ask` calls the worker (`preview`, `storyboard`); `connected` says whether asking makes sense.
    """

    SHOWS = (ev.PreviewReady, ev.PreviewFailed)
    """The worker events it shows (the app routes them here like to a widget)."""

    def __init__(self, app: App[Any], ask: CallWorker, connected: Callable[[], bool]) -> None:
        self.app = app
        self.ask = ask
        self.connected = connected
        self.cache: dict[tuple[str, int], Path] = {}
        """(draft key, ms) -> the still file the backend rendered."""
        self._timer: Timer | None = None
        self._modal: tuple[str, int] | None = None
        """The frame to open full screen once it arrives."""
        self._board_asked: tuple[str, tuple[int, ...]] | None = None

    @property
    def timeline(self) -> Timeline:
        """The timeline whose playhead and draft the previews follow."""
        return self.app.query_one(Timeline)

    @property
    def pane(self) -> PreviewPane:
        """The preview pane (shown only in wide terminals)."""
        return self.app.query_one(PreviewPane)

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

    # ---- the pane ---------------------------------------------------------------------------

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
        cached = self.cache.get(want)
        if cached is not None and cached.is_file():
            await self._show_cached(want, cached)
            return
        await self.pane.show_status(f"Rendering the frame at {want[1] / 1000:.2f} s…")
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.app.set_timer(DEBOUNCE_S, lambda: self._ask(want))

    def _ask(self, want: tuple[str, int]) -> None:
        if self.current_frame() == want and self.connected():
            self.ask("preview", want[1])

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
        if not self.pane_visible() or draft is None or not draft.ready or not self.connected():
            return
        track = main_track(draft)
        times = tuple(seg.s + seg.d // 2 for seg in sorted(track.sg, key=lambda s: s.s))[:8] if track else ()
        key = draft_key(draft)
        if self._board_asked == (key, times):
            return
        self._board_asked = (key, times)
        self.app.run_worker(self._fill_board(key, times), group="storyboard", exclusive=True,
                            exit_on_error=False)

    async def _fill_board(self, key: str, times: tuple[int, ...]) -> None:
        """Lay out the strip, fill what is cached, ask the worker for the rest."""
        if not self.pane_visible():
            return
        await self.pane.set_board(key, times)
        missing = []
        for at in times:
            path = self.cache.get((key, at))
            if path is not None and path.is_file():
                image = await asyncio.to_thread(load_image, path, 320)
                await self.pane.board_frame(key, at, image)
            else:
                missing.append(at)
        if missing:
            self.ask("storyboard", missing)

    # ---- stills from the worker -------------------------------------------------------------

    async def show_event(self, event: ev.WorkerEvent) -> None:
        """A still arrived (or could not be made): show it only if it is still the current one."""
        if not isinstance(event, ev.PreviewReady | ev.PreviewFailed):
            return
        try:
            await self._frame_event(event)
        except NoMatches:  # the app closed meanwhile
            pass

    async def _frame_event(self, event: ev.PreviewReady | ev.PreviewFailed) -> None:
        want = (event.key, event.at_ms)
        if isinstance(event, ev.PreviewFailed):
            if self.pane_visible() and self.current_frame() == want:
                await self.pane.show_status(f"No preview: {event.sentence}")
            if self._modal == want:
                self._modal = None
                self.app.notify(f"No preview: {event.sentence}", severity="warning")
            return
        self.cache[want] = event.path
        if self._modal == want:
            self._modal = None
            self._open_modal(want, event.path)
        if self.pane_visible():
            if self.current_frame() == want:
                await self._show_cached(want, event.path)
            board = self.pane.board
            if board is not None and board[0] == event.key and event.at_ms in board[1]:
                image = await asyncio.to_thread(load_image, event.path, 320)
                await self.pane.board_frame(event.key, event.at_ms, image)

    # ---- full screen --------------------------------------------------------------------------

    def preview_segment(self, local_files: dict[str, Path]) -> None:
        """A frame of the selected segment's own file or colour (the palette's command)."""
        selected = self.timeline.selected()
        if selected is None:
            self.app.notify("Select a segment on the timeline first (F3).", severity="warning")
            return
        found = segment_preview(selected[0], selected[2], local_files)
        if isinstance(found, str):
            self.app.notify(found, severity="warning")
        else:
            self.app.post_message(found)

    def preview_frame(self) -> None:
        """The rendered frame at the playhead, as big as the screen allows."""
        draft = self.timeline.draft
        if draft is None or not draft.ready:
            self.app.notify("The timeline is empty, so there is no frame to show.", severity="warning")
            return
        want = self.current_frame()
        cached = self.cache.get(want)
        if cached is not None and cached.is_file():
            self._open_modal(want, cached)
            return
        self._modal = want
        self.app.notify(f"Rendering the frame at {want[1] / 1000:.2f} s…", timeout=2)
        self.ask("preview", want[1])

    def _open_modal(self, want: tuple[str, int], path: Path) -> None:
        if self.current_frame() != want:
            return  # the timeline moved on meanwhile: never show a stale frame as current
        self.app.push_screen(PreviewScreen(f"Frame at {want[1] / 1000:.2f} s", path, at_ms=want[1]))
