"""A still at a time renders only the stretch of the draft it needs (the same graph, fewer frames).

The frame at `at_ms` depends on the segments on screen then, each drawn from its own start, and,
inside a transition's blend, on the scene before. So the draft is cut at the start of the scene on
screen (of the scene before it inside a blend), where no picture or text crosses the cut and the cut
falls on a whole frame, shifted to start there, and segments that begin after the frame are dropped:
the filters then run over part of one scene instead of everything before `at_ms`. The sound is not
rendered for a still anyway.
"""

from __future__ import annotations

import copy

from reelterm.protocol.draft import Draft, TrackType

TRANSITION_MS = 500
"""A transition's length when the segment does not say (docs/draft.md, `transition_ms`)."""


def still_window(draft: Draft, at_ms: int) -> tuple[Draft, int]:
    """`(shorter draft, time in it)` showing the same frame as `draft` at `at_ms`."""
    fps = max(1, int(draft.m.fps or 30))
    frame_ms = 1000 / fps
    at_ms = max(0, min(int(at_ms), max(0, draft.duration_ms - 1)))
    visual = [t for t in draft.t if t.tt != TrackType.AUDIO and t.sg]
    bases = [t for t in draft.t if t.tt == TrackType.VIDEO and t.sg]
    if not visual or not bases:
        return draft, at_ms
    spans = [(seg.s, seg.end) for t in visual for seg in t.sg]
    base = sorted(bases[0].sg, key=lambda seg: seg.s)
    starts = [seg.s for seg in base if 0 < seg.s <= at_ms]
    current = next((seg for seg in reversed(base) if seg.s <= at_ms), None)
    if current is not None and current.m.transition and starts and starts[-1] == current.s:
        blend = (current.m.transition_ms or TRANSITION_MS) + frame_ms
        if at_ms < current.s + blend:  # inside the blend: the scene before is on screen too
            starts = starts[:-1]
    cut = 0
    for candidate in reversed(starts):
        clean = all(not (s < candidate < e) for s, e in spans)
        if clean and candidate * fps % 1000 == 0:
            cut = candidate
            break
    data = copy.deepcopy(draft.wire())
    last = at_ms + frame_ms
    kept = []
    for track in data.get("t", []):
        if track.get("tt") == TrackType.AUDIO:
            continue
        segs = [seg for seg in track.get("sg", [])
                if seg.get("s", 0) + seg.get("d", 0) > cut and seg.get("s", 0) <= last]
        for seg in segs:
            seg["s"] = seg.get("s", 0) - cut
        track["sg"] = segs
        kept.append(track)
    data["t"] = kept
    kept_base = next((t for t in kept if t.get("tt") == TrackType.VIDEO and t["sg"]), None)
    first = min(kept_base["sg"], key=lambda seg: seg["s"]) if kept_base is not None else None
    if cut and first is not None:  # its transition came from a scene that is not rendered
        first.setdefault("m", {}).pop("transition", None)
    data.pop("d", None)
    shorter = Draft.model_validate(data)
    if not shorter.ready:
        return draft, at_ms
    return shorter, at_ms - cut
