"""What the timeline writes: times, segment and track labels, the selected segment's details."""

from __future__ import annotations

from reelterm.protocol import Segment, Track

__all__ = ["clip", "fmt_ms", "segment_details", "segment_label", "track_label"]


def fmt_ms(ms: float, precise: bool = False) -> str:
    """A time for people: `5s`, `1:05`, or `5.0s` when precise."""
    seconds = ms / 1000
    if seconds < 60:
        return f"{seconds:.1f}s" if precise else f"{seconds:g}s"
    minutes, rest = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{rest:02d}" if hours else f"{minutes}:{rest:02d}"


def segment_label(track: Track, seg: Segment) -> str:
    """What a segment shows: its text or name, and the volume of audio."""
    label = f'"{seg.m.text}"' if track.kind == "text" and seg.m.text else seg.label
    if seg.m.volume is not None and track.kind != "text":
        label += " muted" if seg.m.volume <= 0 else f" {round(seg.m.volume * 100)}%"
    return label


def track_label(tracks: list[Track], row: int) -> str:
    """A track's name (`m.name`), else its id, else its kind and number (`text 2`)."""
    track = tracks[row]
    name = track.m.get("name")
    if isinstance(name, str | int | float) and str(name).strip():
        return " ".join(str(name).split())
    if track.id.strip():
        return track.id.strip()
    same = [t for t in tracks[: row + 1] if t.tt == track.tt]
    return f"{track.kind} {len(same)}"


def segment_details(track: Track, index: int, seg: Segment, name: str = "") -> tuple[str, str]:
    """Two lines about the selected segment: what and when, then where from and effects."""
    first = [f"{name or track.kind} #{index + 1}/{len(track.sg)}", segment_label(track, seg),
             f"{fmt_ms(seg.s, True)}–{fmt_ms(seg.end, True)} ({fmt_ms(seg.d, True)})"]
    second = [seg.src] if seg.src else []
    if seg.in_:
        second.append(f"from {fmt_ms(seg.in_, True)}")
    for key in ("fade_in", "fade_out"):
        value = getattr(seg.m, key)
        if value:
            second.append(f"{key.replace('_', ' ')} {fmt_ms(value, True)}")
    if seg.m.transition:
        second.append(f"transition {seg.m.transition}")
    if track.kind == "text" and seg.m.style:
        second.append(f"style {seg.m.style}")
    return " · ".join(first), " · ".join(second)


def clip(text: str, width: int) -> str:
    """`text` cut to `width` cells with an ellipsis."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
