"""Human summaries of a timeline and of what changed between two session states."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from reelterm.protocol import Draft, Segment, SessionState, Track, TrackType

_KIND_TITLE = {TrackType.VIDEO: "Video", TrackType.AUDIO: "Audio", TrackType.TEXT: "Text"}


def fmt_time(ms: int) -> str:
    """A time for people: `3s`, `2.5s`, `1:05`."""
    ms = max(0, int(ms))
    if ms >= 60_000:
        total = round(ms / 1000)
        return f"{total // 60}:{total % 60:02d}"
    secs = ms / 1000
    return f"{secs:.0f}s" if abs(secs - round(secs)) < 0.05 else f"{secs:.1f}s"


def _span(seg: Segment) -> str:
    return f"{fmt_time(seg.s)}–{fmt_time(seg.end)}"


def _volume(seg: Segment) -> str | None:
    return None if seg.m.volume is None else f"{round(seg.m.volume * 100)}%"


def _label(seg: Segment) -> str:
    text = seg.label.replace("\n", " ").strip()
    return text if len(text) <= 40 else text[:39] + "…"


def _source(seg: Segment) -> str:
    """A short name for a segment's media: the music file, the upload, or the kind of picture."""
    src = seg.src or ""
    kind, _, rest = src.partition(":")
    if kind == "music":
        return rest.rsplit("/", 1)[-1]
    if kind in ("color", "gradient"):
        return f"a {kind} background"
    return rest or src or "nothing"


def _track_title(track: Track, index: int) -> str:
    name = track.m.get("name") if isinstance(track.m, dict) else None
    kind = _KIND_TITLE.get(track.tt, track.kind)  # type: ignore[call-overload]
    if track.tt == TrackType.AUDIO and not name:
        kind = "Audio"
    return f"{kind} track {index + 1}" + (f" ({name})" if isinstance(name, str) and name else "")


def describe_segment(seg: Segment, tt: int) -> str:
    """One segment in a few words: `"Urban Dreams" (0s–3s)` or `Lo-fi (0s–10s, volume 35%)`."""
    label = f'"{_label(seg)}"' if tt == TrackType.TEXT else _label(seg)
    extra = [_span(seg)]
    vol = _volume(seg)
    if vol is not None and tt != TrackType.TEXT:
        extra.append(f"volume {vol}")
    return f"{label} ({', '.join(extra)})"


def describe_track(track: Track) -> str:
    """One track on one line: its name (else its kind) and its segments."""
    name = track.m.get("name") if isinstance(track.m, dict) else None
    kind = name.strip() if isinstance(name, str) and name.strip() else _KIND_TITLE.get(track.tt, track.kind)  # type: ignore[call-overload]
    if not track.sg:
        return f"{kind}: empty"
    if len(track.sg) <= 3:
        return f"{kind}: " + "; ".join(describe_segment(s, track.tt) for s in track.sg)
    start = min(s.s for s in track.sg)
    end = max(s.end for s in track.sg)
    unit = "texts" if track.tt == TrackType.TEXT else "clips"
    return f"{kind}: {len(track.sg)} {unit} ({fmt_time(start)}–{fmt_time(end)})"


def describe_draft(draft: Draft | None) -> str:
    """The timeline as numbered lines, like the seeds' example; says so when it is empty."""
    if draft is None or not draft.t:
        return "The timeline is empty."
    head = f'"{draft.m.title}", {fmt_time(draft.duration_ms)}, {draft.m.width}x{draft.m.height}'
    lines = [head] + [f"{i + 1}. {describe_track(t)}" for i, t in enumerate(draft.t)]
    return "\n".join(lines)


def describe_state(state: SessionState | None) -> str:
    """The timeline plus the uploads and generated media a session holds."""
    if state is None:
        return "No session state yet."
    text = describe_draft(state.draft)
    extras = []
    if state.video_infos:
        extras.append(f"{len(state.video_infos)} upload(s)")
    if state.generated_media:
        extras.append(f"{len(state.generated_media)} generated item(s)")
    return text + (f"\nMedia: {', '.join(extras)}." if extras else "")


def _match(before: list, after: list, key: Callable[[Any], Any]) -> tuple[list[tuple], list, list]:
    """Pairs matched by key (when every item has one) else by position; then removed and added."""
    keys_b = [key(x) for x in before]
    keys_a = [key(x) for x in after]
    if all(keys_b) and all(keys_a) and len(set(keys_b)) == len(keys_b) and len(set(keys_a)) == len(keys_a):
        by_key = dict(zip(keys_b, before, strict=True))
        pairs = [(by_key[k], a) for k, a in zip(keys_a, after, strict=True) if k in by_key]
        removed = [b for k, b in zip(keys_b, before, strict=True) if k not in set(keys_a)]
        added = [a for k, a in zip(keys_a, after, strict=True) if k not in by_key]
        return pairs, removed, added
    n = min(len(before), len(after))
    return list(zip(before[:n], after[:n], strict=True)), before[n:], after[n:]


def _segment_changes(old: Segment, new: Segment, tt: int) -> list[str]:
    changes: list[str] = []
    if tt == TrackType.TEXT and (old.m.text or "") != (new.m.text or ""):
        changes.append(f'text "{_label(old)}" → "{_label(new)}"')
    elif old.src != new.src and new.src:
        if _label(old) != _label(new):
            changes.append(f"now uses {_label(new)}")
        else:
            changes.append(f"source {_source(old)} → {_source(new)}")
    if old.s != new.s:
        changes.append(f"moved from {fmt_time(old.s)} to {fmt_time(new.s)}")
    if old.d != new.d:
        changes.append(f"duration {fmt_time(old.d)} → {fmt_time(new.d)}")
    if old.m.volume != new.m.volume:
        changes.append(f"volume {_volume(old) or '100%'} → {_volume(new) or '100%'}")
    for attr, word in (("fade_in", "fade-in"), ("fade_out", "fade-out")):
        if getattr(old.m, attr) != getattr(new.m, attr):
            changes.append(f"{word} {fmt_time(getattr(old.m, attr) or 0)} → {fmt_time(getattr(new.m, attr) or 0)}")
    for attr in ("style", "position", "fit", "transition"):
        if getattr(old.m, attr) != getattr(new.m, attr) and getattr(new.m, attr):
            changes.append(f"{attr} {getattr(new.m, attr)}")
    return changes


def diff_drafts(before: Draft | None, after: Draft | None) -> list[str]:
    """What changed between two drafts, one sentence per change (empty when nothing did)."""
    if after is None:
        return ["The timeline was cleared."] if before is not None and before.ready else []
    if before is None or not before.t:
        return [f"The timeline now has {len(after.t)} track(s): "
                + "; ".join(describe_track(t) for t in after.t) + "."] if after.t else []
    lines: list[str] = []
    if before.m.title != after.m.title:
        lines.append(f'Title changed from "{before.m.title}" to "{after.m.title}".')
    if (before.m.width, before.m.height) != (after.m.width, after.m.height):
        lines.append(f"Canvas changed from {before.m.width}x{before.m.height} to {after.m.width}x{after.m.height}.")
    pairs, removed, added = _match(before.t, after.t, lambda t: t.id)
    index = {id(t): i for i, t in enumerate(after.t)}
    old_index = {id(t): i for i, t in enumerate(before.t)}
    for track in added:
        lines.append(f"Added {_track_title(track, index[id(track)])}: {describe_track(track)}.")
    for track in removed:
        lines.append(f"Removed {_track_title(track, old_index[id(track)])}.")
    for old_t, new_t in pairs:
        title = _track_title(new_t, index[id(new_t)])
        seg_pairs, seg_removed, seg_added = _match(old_t.sg, new_t.sg, lambda s: s.id)
        for seg in seg_added:
            lines.append(f"{title}: added {describe_segment(seg, new_t.tt)}.")
        for seg in seg_removed:
            lines.append(f"{title}: removed {describe_segment(seg, old_t.tt)}.")
        for old_s, new_s in seg_pairs:
            changes = _segment_changes(old_s, new_s, new_t.tt)
            if changes:
                lines.append(f"{title}: {_label(old_s)} — {', '.join(changes)}.")
    if before.duration_ms != after.duration_ms:
        lines.append(f"The video is now {fmt_time(after.duration_ms)} long (was {fmt_time(before.duration_ms)}).")
    return lines


def diff_states(before: SessionState | None, after: SessionState | None) -> list[str]:
    """What changed between two session states: the draft, then uploads and generated media."""
    lines = diff_drafts(before.draft if before else None, after.draft if after else None)
    if before is not None and after is not None:
        new_uploads = len(after.video_infos) - len(before.video_infos)
        if new_uploads > 0:
            lines.append(f"{new_uploads} new upload(s) in the session.")
        new_media = len(after.generated_media) - len(before.generated_media)
        if new_media > 0:
            lines.append(f"{new_media} new generated item(s).")
    return lines


def summarize_change(before: SessionState | None, after: SessionState | None) -> str | None:
    """The change summary as one text, or None when nothing changed."""
    lines = diff_states(before, after)
    return "\n".join(lines) if lines else None


def fingerprint(state: SessionState | None) -> str:
    """A stable text form of a state, to tell whether anything changed at all."""
    if state is None:
        return ""
    return json.dumps(state.model_dump(mode="json"), sort_keys=True, default=str)
