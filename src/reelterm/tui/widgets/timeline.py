"""The timeline: a ruler, one row per track, segments to scale, a cursor and zoom (line API)."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment as RichSegment
from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from reelterm.protocol import Draft, Segment, Track
from reelterm.tui.bindings import EDIT_KEYS, PLAYHEAD_KEYS, TIMELINE_KEYS, bindings
from reelterm.tui.edits import step_playhead
from reelterm.tui.typing_redirect import TypesIntoPrompt
from reelterm.tui.widgets.timeline_text import (
    clip,
    fmt_ms,
    segment_details,
    segment_label,
    track_label,
)
from reelterm.worker import events as ev

LABEL_WIDTH = 9
"""Cells of the track-label column (at least; it grows to fit track names up to `LABEL_MAX`)."""
LABEL_MAX = 16
DETAIL_LINES = 2
"""Lines under the tracks about the selected segment."""
STEPS_MS = (100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
            600_000, 1_800_000, 3_600_000)
"""Ruler tick spacings to choose from."""
KIND_CLASS = {"video": "timeline--video", "audio": "timeline--audio", "text": "timeline--text"}


class Timeline(TypesIntoPrompt, Widget, can_focus=True):
    """The draft's tracks drawn to scale with a segment cursor."""

    BINDINGS = bindings(TIMELINE_KEYS + PLAYHEAD_KEYS + EDIT_KEYS)
    COMPONENT_CLASSES = {
        "timeline--ruler", "timeline--label", "timeline--label-current", "timeline--video",
        "timeline--audio", "timeline--text", "timeline--other", "timeline--selected",
        "timeline--details", "timeline--empty", "timeline--playhead",
    }
    DEFAULT_CSS = """
    Timeline { height: auto; min-height: 3; }
    Timeline > .timeline--ruler { color: $text-muted; }
    Timeline > .timeline--label { color: $text-muted; }
    Timeline > .timeline--label-current { color: $text; text-style: bold; }
    Timeline > .timeline--video { background: $primary-muted; color: $text; }
    Timeline > .timeline--audio { background: $success-muted; color: $text; }
    Timeline > .timeline--text { background: $warning-muted; color: $text; }
    Timeline > .timeline--other { background: $panel; color: $text-muted; }
    Timeline > .timeline--selected { background: $accent; color: $text; text-style: bold; }
    Timeline > .timeline--details { color: $text-muted; }
    Timeline > .timeline--empty { color: $text-muted; text-style: italic; }
    Timeline > .timeline--playhead { color: $accent; text-style: bold; }
    Timeline:focus > .timeline--selected { background: $accent; text-style: bold reverse; }
    """

    draft: reactive[Draft | None] = reactive(None, always_update=True, layout=True)
    ms_per_cell: reactive[float] = reactive(0.0)
    """0 fits the whole timeline to the width."""
    offset_ms: reactive[float] = reactive(0.0)
    cursor: reactive[tuple[int, int]] = reactive((0, 0))
    playhead_ms: reactive[int] = reactive(0)
    """The time cursor: split cuts here, previews show this frame."""
    compact: reactive[bool] = reactive(False, layout=True)
    """Short terminals: the two detail lines show only while the timeline has focus."""

    class PlayheadMoved(Message):
        """The playhead moved (or the draft under it changed)."""

        def __init__(self, at_ms: int) -> None:
            super().__init__()
            self.at_ms = at_ms

    class EditRequested(Message):
        """An editing key was pressed: `kind` and `amount` as in `tui.edits.edit_request`."""

        def __init__(self, kind: str, amount: int) -> None:
            super().__init__()
            self.kind = kind
            self.amount = amount

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._cache: LRUCache[tuple[Any, ...], Strip] = LRUCache(256)

    # ---- state -------------------------------------------------------------------------------

    def set_draft(self, draft: Draft | None) -> None:
        """Show a new draft; the cursor stays on the same segment (by id), else where it fits."""
        current = self.selected()
        self.draft = draft
        tracks = draft.t if draft else []
        row, col = self.cursor
        found = [(r, c) for r, track in enumerate(tracks) for c, seg in enumerate(track.sg)
                 if current is not None and current[2].id and seg.id == current[2].id]
        if found:
            row, col = found[0]
        elif tracks:
            row = min(row, len(tracks) - 1)
            col = min(col, max(0, len(tracks[row].sg) - 1))
        self.cursor = (row, col) if tracks else (0, 0)
        self.playhead_ms = step_playhead(draft, self.playhead_ms, "second", 0)
        self.post_message(self.PlayheadMoved(self.playhead_ms))

    SHOWS = (ev.SessionReplaced, ev.StateUpdated)
    """The worker events the timeline shows: the session's draft."""

    async def show_event(self, event: ev.WorkerEvent) -> None:
        """Show the draft of a new state (none for a new session)."""
        self.set_draft(event.state.draft if isinstance(event, ev.StateUpdated) else None)

    def _invalidate(self) -> None:
        self._cache.clear()
        self.refresh()

    def watch_draft(self) -> None:
        self._invalidate()
        self._titles()

    def watch_ms_per_cell(self) -> None:
        self._invalidate()
        self._titles()

    def watch_offset_ms(self) -> None:
        self._invalidate()
        self._titles()

    def watch_playhead_ms(self) -> None:
        self._invalidate()
        self._titles()

    def _titles(self) -> None:
        """The border says what the draft is and which stretch of it is in view."""
        draft = self.draft
        if not draft or not draft.t:
            self.border_title, self.border_subtitle = "Timeline", ""
            return
        meta = draft.m
        total = draft.duration_ms
        self.border_title = clip(f"Timeline ▼ {self.playhead_ms / 1000:.2f}s · {meta.title} · "
                                 f"{fmt_ms(total)} · {meta.width}x{meta.height}", max(10, self.size.width - 4))
        if self.ms_per_cell <= 0:
            self.border_subtitle = "fit · + zoom in"
        else:
            end = min(total, self.offset_ms + self.scale * self.lane_width)
            self.border_subtitle = (f"{fmt_ms(self.offset_ms, True)}–{fmt_ms(end, True)} of "
                                    f"{fmt_ms(total)} · 0 fit")

    def watch_cursor(self) -> None:
        self._follow_cursor()
        self._invalidate()
        selected = self.selected()
        if selected is not None:  # the playhead (and so the preview pane) follows the selection
            seg = selected[2]
            if not seg.s <= self.playhead_ms < seg.end:
                self._set_playhead(seg.s)

    def on_resize(self) -> None:
        self._invalidate()
        self._titles()

    def on_focus(self) -> None:
        if self.compact:
            self.refresh(layout=True)

    def on_blur(self) -> None:
        if self.compact:
            self.refresh(layout=True)

    def selected(self) -> tuple[Track, int, Segment] | None:
        """The track, index and segment under the cursor."""
        if not self.draft or not self.draft.t:
            return None
        row, col = self.cursor
        if row >= len(self.draft.t):
            return None
        track = self.draft.t[row]
        if not 0 <= col < len(track.sg):
            return None
        return track, col, track.sg[col]

    @property
    def label_width(self) -> int:
        """Cells of the track-label column: the longest name fits, within limits."""
        tracks = self.draft.t if self.draft else []
        longest = max((len(track_label(tracks, i)) for i in range(len(tracks))), default=0)
        return max(LABEL_WIDTH, min(LABEL_MAX, longest + 3, self.size.width // 4))

    @property
    def lane_width(self) -> int:
        """Cells available for segments."""
        return max(1, self.size.width - self.label_width)

    @property
    def scale(self) -> float:
        """Milliseconds per cell in effect."""
        if self.ms_per_cell > 0:
            return self.ms_per_cell
        duration = self.draft.duration_ms if self.draft else 0
        return max(1.0, (duration or 10_000) / max(1, self.lane_width - 1))

    def _follow_cursor(self) -> None:
        selected = self.selected()
        if selected is None or self.ms_per_cell <= 0:
            if self.ms_per_cell <= 0:
                self.offset_ms = 0
            return
        seg = selected[2]
        visible = self.scale * self.lane_width
        if seg.s < self.offset_ms or seg.s >= self.offset_ms + visible * 0.9:
            self.offset_ms = max(0.0, seg.s - visible * 0.1)

    # ---- actions -----------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        """Previous or next segment on the current track."""
        if not self.draft or not self.draft.t:
            return
        row, col = self.cursor
        count = len(self.draft.t[row].sg)
        if count:
            self.cursor = (row, max(0, min(count - 1, col + step)))

    def action_track(self, step: int) -> None:
        """The track above or below, at the segment nearest in time."""
        if not self.draft or not self.draft.t:
            return
        row, _ = self.cursor
        current = self.selected()
        at = current[2].s if current else self.offset_ms
        new_row = max(0, min(len(self.draft.t) - 1, row + step))
        segs = self.draft.t[new_row].sg
        col = 0
        if segs:
            col = min(range(len(segs)), key=lambda i: (abs(segs[i].s - at), i))
        self.cursor = (new_row, col)

    def action_zoom(self, factor: float) -> None:
        """Zoom by `factor` (0.5 shows half the time)."""
        self.ms_per_cell = max(10.0, min(3_600_000.0, self.scale * factor))
        self._follow_cursor()

    def action_zoom_fit(self) -> None:
        """Fit the whole timeline to the width."""
        self.ms_per_cell = 0.0
        self.offset_ms = 0.0

    def action_preview(self) -> None:
        """Ask the app for the rendered frame at the playhead."""
        self.app.call_later(self.app.run_action, "preview_frame")

    def _set_playhead(self, ms: int) -> None:
        moved = step_playhead(self.draft, ms, "second", 0)
        if moved != self.playhead_ms:
            self.playhead_ms = moved
            self.post_message(self.PlayheadMoved(moved))

    def action_playhead(self, unit: str, step: int) -> None:
        """Move the playhead by frames, seconds or scenes."""
        self._set_playhead(step_playhead(self.draft, self.playhead_ms, unit, step))
        visible = self.scale * self.lane_width
        if self.ms_per_cell > 0 and not self.offset_ms <= self.playhead_ms < self.offset_ms + visible:
            self.offset_ms = max(0.0, self.playhead_ms - visible * 0.1)

    def action_playhead_to_segment(self) -> None:
        """The playhead to the selected segment's start."""
        selected = self.selected()
        if selected is not None:
            self._set_playhead(selected[2].s)

    def action_edit(self, kind: str, amount: int = 0) -> None:
        """An editing key: the app turns it into a chat request."""
        self.post_message(self.EditRequested(kind, amount))

    # ---- drawing -----------------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        tracks = len(self.draft.t) if self.draft else 0
        details = DETAIL_LINES if not self.compact or self.has_focus else 0
        return 1 + tracks + details if tracks else 2

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        key = (y, width, self.scale, self.offset_ms, self.cursor, self.has_focus, self.playhead_ms)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._render_line(y, width)
            self._cache[key] = cached
        return cached.apply_style(self.rich_style)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=False)

    def _render_line(self, y: int, width: int) -> Strip:
        draft = self.draft
        if not draft or not draft.t:
            lines = ("No timeline yet.", "Ask the agent for a video, or upload media (ctrl+o).")
            if y < len(lines):
                return Strip([RichSegment(lines[y][:width], self._style("timeline--empty"))])
            return Strip.blank(width)
        tracks = draft.t
        if y == 0:
            return self._ruler(width)
        if 1 <= y <= len(tracks):
            return self._track_line(y - 1, tracks[y - 1], width)
        line = y - len(tracks) - 1
        if 0 <= line < DETAIL_LINES:
            selected = self.selected()
            if selected is None:
                texts = ("No segment selected.", "")
            else:
                texts = segment_details(*selected, name=track_label(tracks, self.cursor[0]))
            return Strip([RichSegment(clip(texts[line], width), self._style("timeline--details"))])
        return Strip.blank(width)

    def _ruler(self, width: int) -> Strip:
        scale, lane = self.scale, self.lane_width
        step = next((s for s in STEPS_MS if s / scale >= 8), STEPS_MS[-1])
        cells = [" "] * lane
        first = int(self.offset_ms // step) * step
        t = first
        while (x := round((t - self.offset_ms) / scale)) < lane:
            if x >= 0:
                label = "╵" + fmt_ms(t)
                if x + len(label) > lane:
                    label = "╵"  # no room for the time: the tick alone
                for i, ch in enumerate(label):
                    cells[x + i] = ch
            t += step
        style = self._style("timeline--ruler")
        px = round((self.playhead_ms - self.offset_ms) / scale)
        if not 0 <= px < lane:
            return Strip([RichSegment(" " * self.label_width, style),
                          RichSegment("".join(cells), style)], width)
        return Strip([RichSegment(" " * self.label_width, style),
                      RichSegment("".join(cells[:px]), style),
                      RichSegment("▼", self._style("timeline--playhead")),
                      RichSegment("".join(cells[px + 1:]), style)], width)

    def _track_line(self, row: int, track: Track, width: int) -> Strip:
        tracks = self.draft.t if self.draft else [track]
        label_width = self.label_width
        label = " " + clip(track_label(tracks, row), label_width - 3).ljust(label_width - 2)
        current_row = self.cursor[0] == row
        seg_style = self._style(KIND_CLASS.get(track.kind, "timeline--other"))
        parts = [RichSegment(" ", seg_style),  # the kind's colour beside the name
                 RichSegment(label, self._style(
                     "timeline--label-current" if current_row else "timeline--label"))]
        lane, scale, offset = self.lane_width, self.scale, self.offset_ms
        selected_style = self._style("timeline--selected")
        cursor = self.cursor[1] if current_row else -1
        x = 0
        for index, seg in sorted(enumerate(track.sg), key=lambda pair: pair[1].s):
            if seg.end < offset or index == cursor:
                continue
            x0 = max(round((seg.s - offset) / scale), x)
            if x0 >= lane:
                continue
            x1 = min(max(round((seg.end - offset) / scale), x0 + 1), lane)
            if x0 > x:
                parts.append(RichSegment(" " * (x0 - x)))
            span = x1 - x0
            parts.append(RichSegment(("▏" + segment_label(track, seg))[:span].ljust(span),
                                     seg_style))
            x = x1
        if x < lane:
            parts.append(RichSegment(" " * (lane - x)))
        strip = Strip(parts, width)
        if 0 <= cursor < len(track.sg):  # drawn last, over any segment it overlaps
            seg = track.sg[cursor]
            x0 = max(0, round((seg.s - offset) / scale))
            x1 = min(max(round((seg.end - offset) / scale), x0 + 1), lane)
            if seg.end >= offset and x0 < lane:
                span = x1 - x0
                text = ("▏" + segment_label(track, seg))[:span].ljust(span)
                strip = Strip.join([strip.crop(0, label_width + x0),
                                    Strip([RichSegment(text, selected_style)], span),
                                    strip.crop(label_width + x1, width)])
        px = round((self.playhead_ms - offset) / scale)
        if 0 <= px < lane:  # the playhead crosses every track: its cell keeps the text, in the accent
            at = label_width + px
            cell = list(strip.crop(at, at + 1))
            char = cell[0].text if cell and cell[0].text else " "
            under = cell[0].style if cell and cell[0].style else Style()
            ink = self._style("timeline--playhead")
            mark = Strip([RichSegment("│" if char == " " else char,
                                      under + Style(color=ink.color, bold=True))], 1)
            strip = Strip.join([strip.crop(0, at), mark, strip.crop(at + 1, width)])
        return strip
