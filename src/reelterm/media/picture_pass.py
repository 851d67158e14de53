"""The picture pass: the base track with its transitions, the other video tracks, scenes and captions.

Each slot of the first video track becomes a stream of exactly its frames (`sources.picture`);
only the overlaps of transitions are blended (`transitions`), the rest is concatenated. Later
video tracks are overlaid in their windows, then the laid-out scenes (`scenes`), then the text
segments (`karaoke` for word-timed captions, `captions` for the rest).
"""

from __future__ import annotations

from reelterm.media._graph import Graph, tile_slots
from reelterm.media.errors import MediaError
from reelterm.media.karaoke import caption_layer
from reelterm.media.scenes import SceneSet, overlay_scenes
from reelterm.media.sources import picture
from reelterm.media.transitions import transition
from reelterm.protocol.draft import Draft, Segment, TrackType


def picture_pass(g: Graph, draft: Draft, scenes: SceneSet, video_tracks: list[int], total: int) -> str:
    """Every picture of `draft` over its first `total` frames; returns the label of the result.

    `video_tracks` are the indices of the video tracks drawn as tracks (the first is the base)."""
    tracks = [draft.t[i] for i in video_tracks]
    video = base_track(g, tracks[0].sg if tracks else [], total, "track 1")
    for ti, track in enumerate(tracks[1:], start=2):
        for si, seg in enumerate(sorted(track.sg, key=lambda s: s.s), start=1):
            start, end = g.frame(seg.s), min(total, g.frame(seg.end))
            if end <= start:
                continue
            pic = picture(g, seg, end - start, f"video track {ti}, segment {si}", at=start)
            moved, nxt = g.label("o"), g.label("v")
            g.add_chain(f"[{pic}]setpts=PTS+{start}[{moved}]")  # time base is 1/fps
            g.add_chain(f"[{video}][{moved}]overlay=0:0:eof_action=pass:"
                        f"enable='between(n,{start},{end - 1})'[{nxt}]")
            video = nxt
    video = overlay_scenes(g, scenes, video, total)
    texts = [seg for track in draft.tracks_of(TrackType.TEXT) for seg in track.sg if id(seg) not in scenes.text_ids]
    return caption_layer(g, draft, texts, video, total)  # word-timed captions: media/karaoke.py


def base_track(g: Graph, segs: list[Segment], total: int, where: str) -> str:
    """The first video track tiled over [0, total) frames, black in its gaps; returns its label."""
    slots = tile_slots(segs, g.fps, total)
    labels = [picture(g, slot.seg, slot.length + slot.ext, f"video {where}, segment {i}", at=slot.start)
              for i, slot in enumerate(slots, start=1)]
    # each slot is cut into head | body | tail and only the short tail+head pairs are blended;
    # everything else is concatenated untouched
    pieces: list[str] = []
    prev_tail = ""
    for slot, lab in zip(slots, labels, strict=True):
        head, body, tail = _cut(g, lab, slot.trans_len, slot.length, slot.ext)
        if head:
            mixed = g.label("x")
            g.add_chain(transition(slot.trans or "fade", prev_tail, head, mixed, slot.trans_len,
                                   (g.W, g.H, g.fps), g.label))
            pieces.append(mixed)
        pieces.append(body)
        prev_tail = tail
    acc = g.concat(pieces)
    out = g.label("base")
    g.add_chain(f"[{acc}]trim=end_frame={total},setpts=PTS-STARTPTS[{out}]")
    return out


def frame_range(g: Graph, video: str, frames: tuple[int, int], total: int) -> str:
    """`[video]` cut to the timeline frames [a, b), stamped 0, 1, 2… (`MediaError` if out of range)."""
    a, b = frames
    if not 0 <= a < b <= total:
        raise MediaError(f"The frames {a}-{b} are outside this timeline's 0-{total}.")
    out = g.label("range")
    g.add_chain(f"[{video}]trim=start_frame={a}:end_frame={b},setpts=N/({g.fps})/TB[{out}]")
    return out


def _cut(g: Graph, lab: str, head: int, length: int, ext: int) -> tuple[str, str, str]:
    """Split a slot's stream into frames [0, head), [head, length), [length, length+ext)."""
    spans = [(a, b) for a, b in ((0, head), (head, length), (length, length + ext)) if b > a]
    if len(spans) == 1:
        return "", lab, ""
    cut = g.pieces(lab, spans)
    return (cut.pop(0) if head else ""), cut[0], (cut[1] if ext else "")
