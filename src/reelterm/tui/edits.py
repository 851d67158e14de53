"""Timeline keys as chat requests: the exact sentences both backends apply, and the playhead's steps."""

from __future__ import annotations

from reelterm.protocol import Draft, Segment, Track

CARD_NAMES = ("Title card", "End card")
"""Main-video segments the agent does not number as scenes (as `engine/agent/studio/edits.py`)."""


class EditRefused(Exception):
    """A key that cannot make a request here; the text is the sentence to show."""


def secs(ms: float) -> str:
    """Milliseconds as the requests write seconds: up to 3 decimals, `12.4s`, `1s`."""
    return f"{max(0.0, ms) / 1000:.3f}".rstrip("0").rstrip(".") + "s"


def main_track(draft: Draft | None) -> Track | None:
    """The main video track (id `video`, else the first video track with segments)."""
    if draft is None:
        return None
    videos = [t for t in draft.t if t.tt == 0 and t.sg]
    return next((t for t in videos if t.id == "video"), videos[0] if videos else None)


def scenes(draft: Draft | None) -> list[Segment]:
    """The scenes a user numbers: main-video segments in time order, title and end cards left out."""
    track = main_track(draft)
    if track is None:
        return []
    ordered = sorted(track.sg, key=lambda s: s.s)
    body = [s for s in ordered if s.m.name not in CARD_NAMES]
    return body or ordered


def scene_at(draft: Draft | None, selected: tuple[Track, int, Segment] | None, playhead_ms: int) -> int | None:
    """The number (1-based) of the selected scene, else of the scene under the playhead."""
    numbered = scenes(draft)
    if selected is not None:
        for number, seg in enumerate(numbered, 1):
            if seg is selected[2]:
                return number
    for number, seg in enumerate(numbered, 1):
        if seg.s <= playhead_ms < seg.end:
            return number
    return None


def frame_ms(draft: Draft | None) -> float:
    """One frame of the draft's canvas, in ms."""
    fps = draft.m.fps if draft is not None and draft.m.fps else 30
    return 1000 / max(1, fps)


def step_playhead(draft: Draft | None, ms: int, unit: str, step: int) -> int:
    """The playhead moved by frames, seconds or to a scene start; kept inside the timeline."""
    if draft is None or not draft.ready:
        return 0
    last = max(0, int(draft.duration_ms - frame_ms(draft)))
    if unit == "frame":
        frames = round(ms / frame_ms(draft)) + step
        moved = int(frames * frame_ms(draft))
    elif unit == "second":
        moved = ms + 1000 * step
    else:
        track = main_track(draft)
        starts = sorted({s.s for s in track.sg}) if track is not None else [0]
        if step < 0:
            earlier = [s for s in starts if s < ms]
            moved = earlier[-1] if earlier else 0
        else:
            later = [s for s in starts if s > ms]
            moved = later[0] if later else ms
    return max(0, min(last, moved))


def _needs_id(selected: tuple[Track, int, Segment] | None) -> tuple[Track, Segment]:
    if selected is None:
        raise EditRefused("Select a segment on the timeline first (F3, then h/l and j/k).")
    track, _, seg = selected
    if not seg.id:
        raise EditRefused("This segment has no id, so keys cannot edit it; describe the change in the chat.")
    return track, seg


def edit_request(kind: str, amount: int, draft: Draft | None, selected: tuple[Track, int, Segment] | None,
                 playhead_ms: int, text: str | None = None) -> str:
    """The chat request for one editing key, or `EditRefused` with the reason."""
    if kind in ("undo", "redo"):
        return kind
    if kind == "scene":
        number = scene_at(draft, selected, playhead_ms)
        if number is None:
            raise EditRefused("Select a scene on the video track, or put the playhead in one, first.")
        return f"move scene {number} {'earlier' if amount < 0 else 'later'}"
    track, seg = _needs_id(selected)
    sid = seg.id
    if kind == "delete":
        return f"delete segment {sid}"
    if kind == "nudge":
        if amount < 0 and seg.s <= 0:
            raise EditRefused("The segment already starts at 0 s.")
        return f"move segment {sid} {'later' if amount > 0 else 'earlier'} by {secs(abs(amount))}"
    if kind in ("trim_start", "trim_end", "extend_start", "extend_end"):
        verb, edge = kind.split("_")
        if verb == "trim" and seg.d - amount < 100:
            raise EditRefused(f"The segment is only {secs(seg.d)} long; it cannot be trimmed further.")
        return f"{verb} the {edge} of segment {sid} by {secs(amount)}"
    if kind == "split":
        if not seg.s < playhead_ms < seg.end:
            raise EditRefused(f"Put the playhead inside the segment ({secs(seg.s)}–{secs(seg.end)}) "
                              "to split it there (t puts it at its start, then f/F move it).")
        return f"split segment {sid} at {secs(playhead_ms)}"
    if kind == "text":
        if track.kind != "text":
            raise EditRefused("Only text segments have words to edit; select one on a text track.")
        if text is None:
            return ""
        if not text.strip():
            raise EditRefused("The new text is empty; to remove the words, delete the segment (x).")
        return f"set the text of segment {sid} to: {text}"
    if kind == "volume":
        has_sound = track.kind == "audio" or (track.kind == "video" and (seg.src or "").startswith(
            ("upload:", "asset:")))
        if not has_sound:
            raise EditRefused("Only audio segments (and video clips with sound) have a volume.")
        current = round((seg.m.volume if seg.m.volume is not None else 1.0) * 100)
        new = max(0, min(200, current + amount))
        if new == current:
            raise EditRefused(f"The volume is already {current}%.")
        return f"set the volume of segment {sid} to {new}%"
    raise EditRefused(f"Unknown edit {kind!r}.")
