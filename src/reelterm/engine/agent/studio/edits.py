"""Pure edits of a draft: each takes a draft and returns a new one, or raises `EditError`."""

from __future__ import annotations

import copy
import re
from typing import Any

from reelterm.engine.planner.sentences import reading_ms
from reelterm.protocol import Draft, validate_local_draft

CARD_NAMES = ("Title card", "End card")


class EditError(Exception):
    """An edit that cannot be made; `key` and `params` name the reply that explains why."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


Wire = dict[str, Any]


def to_wire(draft: Draft) -> Wire:
    """A deep, mutable copy of the draft as wire JSON."""
    return copy.deepcopy(draft.wire())


def finish(data: Wire) -> Draft:
    """Drop empty segments, clamp fades, set `d`, and validate strictly (raises DraftError)."""
    end = 0
    for track in data.get("t", []):
        keep = []
        for seg in track.get("sg", []):
            seg["s"] = max(0, int(seg.get("s", 0)))
            seg["d"] = int(seg.get("d", 0))
            if seg["d"] <= 0:
                continue
            m = seg.setdefault("m", {})
            for key in ("fade_in", "fade_out", "transition_ms"):
                if m.get(key) is not None:
                    m[key] = max(0, min(int(m[key]), seg["d"] // 2 if key != "transition_ms" else seg["d"]))
            keep.append(seg)
            end = max(end, seg["s"] + seg["d"])
        track["sg"] = sorted(keep, key=lambda s: s["s"])
    data["t"] = [t for t in data.get("t", []) if t.get("sg") or t.get("tt") == 0]
    data["d"] = end
    return validate_local_draft(Draft.model_validate(data))


def total_ms(data: Wire) -> int:
    """The timeline's length."""
    ends: list[int] = [s["s"] + s["d"] for t in data.get("t", []) for s in t.get("sg", [])]
    return max([0, *ends])


def find_track(data: Wire, tid: str | None = None, tt: int | None = None) -> Wire | None:
    """The track with this id, else the first of this type."""
    tracks: list[Wire] = data.get("t", [])
    for track in tracks:
        if tid is not None and track.get("id") == tid:
            return track
    if tt is not None:
        for track in tracks:
            if track.get("tt") == tt and (tid is None or not track.get("id")):
                return track
    return None


def music_track(data: Wire) -> Wire | None:
    """The background-music track: id `music`, else an audio track holding `music:` references."""
    track = find_track(data, "music")
    if track is not None:
        return track
    tracks: list[Wire] = data.get("t", [])
    for t in tracks:
        if t.get("tt") == 1 and any(str(s.get("src", "")).startswith("music:") for s in t.get("sg", [])):
            return t
    return None


def ensure_track(data: Wire, tid: str, tt: int, name: str) -> Wire:
    """The track with this id, created (after tracks of lower type) when missing."""
    track = find_track(data, tid)
    if track is None:
        track = {"tt": tt, "id": tid, "m": {"name": name}, "sg": []}
        data.setdefault("t", []).append(track)
    return track


def main_video(data: Wire) -> Wire | None:
    """The first video track."""
    return find_track(data, "video", 0)


def scene_segments(data: Wire) -> list[Wire]:
    """The scenes a user numbers: main video segments in time order, title and end cards left out."""
    track = main_video(data)
    if not track:
        return []
    segs = sorted(track.get("sg", []), key=lambda s: s["s"])
    body = [s for s in segs if s.get("m", {}).get("name") not in CARD_NAMES]
    return body or segs


# ---- time ----------------------------------------------------------------------------------

def _is_media(seg: Wire) -> bool:
    return str(seg.get("src", "")).split(":", 1)[0] in ("upload", "asset")


def cut_range(data: Wire, a: int, b: int) -> Wire:
    """Remove [a, b) from every track and close the gap; long background segments just shorten."""
    cut = b - a
    for track in data.get("t", []):
        out = []
        for seg in track.get("sg", []):
            s, e = seg["s"], seg["s"] + seg["d"]
            if e <= a:
                out.append(seg)
            elif s >= b:
                seg["s"] = s - cut
                out.append(seg)
            elif s >= a and e <= b:
                continue
            elif s < a and e <= b:
                seg["d"] = a - s
                out.append(seg)
            elif s >= a:  # starts inside the cut, ends after it
                if _is_media(seg) and track.get("tt") != 7:
                    seg["in"] = seg.get("in", 0) + (b - s)
                seg["s"], seg["d"] = a, e - b
                out.append(seg)
            elif _is_media(seg) and track.get("tt") == 0:  # a clip spans the cut: split it
                tail = copy.deepcopy(seg)
                seg["d"] = a - s
                tail.update({"id": f"{seg.get('id', 'seg')}b", "s": a, "d": e - b,
                             "in": seg.get("in", 0) + (b - s)})
                tail.setdefault("m", {}).pop("transition", None)
                tail["m"].pop("transition_ms", None)
                out += [seg, tail]
            else:
                seg["d"] -= cut
                out.append(seg)
        track["sg"] = out
    return data


def scale_time(data: Wire, new_total: int) -> Wire:
    """Stretch or squeeze every segment to a new length (for drafts of stills and colours)."""
    old = total_ms(data)
    if old <= 0:
        return data
    f = new_total / old
    for track in data.get("t", []):
        for seg in track.get("sg", []):
            s, e = round(seg["s"] * f), round((seg["s"] + seg["d"]) * f)
            m = seg.setdefault("m", {})
            if track.get("id") == "voice":
                seg["s"], seg["d"] = s, min(seg["d"], max(1, new_total - s))
                continue
            seg["s"], seg["d"] = s, e - s
            if _is_media(seg) and track.get("tt") == 0 and f > 1:
                m["loop"] = True
    return data


def has_video_clips(data: Wire) -> bool:
    """True when the main video shows uploaded or generated clips (which cannot stretch)."""
    track = main_video(data)
    return track is not None and any(
        _is_media(s) and not s.get("m", {}).get("zoom") and s.get("m", {}).get("name") != "image"
        and s.get("m", {}).get("kind") != "image" for s in track.get("sg", []))


def text_defaults(text: str, start: int, total: int, style: str) -> tuple[int, int]:
    """A sensible (start, end) for new text: titles 3 s, captions as long as reading takes."""
    length = 3000 if style == "title" else max(2000, reading_ms(text) + 500)
    start = max(0, min(start, max(0, total - 500)))
    return start, min(total, start + length)


# ---- scenes --------------------------------------------------------------------------------

def scene_blocks(data: Wire) -> list[tuple[Wire, list[Wire]]]:
    """Each main-video segment with the segments of other tracks that lie wholly inside it."""
    track = main_video(data)
    if not track:
        return []
    blocks = []
    for seg in sorted(track.get("sg", []), key=lambda s: s["s"]):
        s, e = seg["s"], seg["s"] + seg["d"]
        attached = [x for t in data["t"] if t is not track for x in t.get("sg", [])
                    if x["s"] >= s and x["s"] + x["d"] <= e and not (x["s"] == 0 and x["d"] == total_ms(data) and t.get("tt") == 1)]
        blocks.append((seg, attached))
    return blocks


def rearrange(data: Wire, order: list[int], drop: set[int] | None = None) -> Wire:
    """Lay the main video's blocks out in `order` (indices into scene_blocks), dropping `drop`."""
    blocks = scene_blocks(data)
    drop = drop or set()
    dropped_segments = [id(x) for i in drop for x in [blocks[i][0], *blocks[i][1]]]
    t = 0
    for i in order:
        if i in drop:
            continue
        seg, attached = blocks[i]
        shift = t - seg["s"]
        for x in [seg, *attached]:
            x["s"] += shift
        t += seg["d"]
    for track in data["t"]:
        track["sg"] = [x for x in track["sg"] if id(x) not in dropped_segments]
        for x in track["sg"]:
            if x["s"] + x["d"] > t and x["s"] < t:
                x["d"] = t - x["s"]
            if x["s"] == 0 and track.get("tt") == 1 and not any(id(x) == id(b[0]) for b in blocks):
                x["d"] = min(x["d"], t)
    vt = main_video(data)
    if vt:
        number = 0
        for k, seg in enumerate(sorted(vt["sg"], key=lambda s: s["s"])):
            m = seg.setdefault("m", {})
            if re.fullmatch(r"Scene \d+", str(m.get("name", ""))):
                number += 1
                m["name"] = f"Scene {number}"
            if k == 0:
                m.pop("transition", None)
                m.pop("transition_ms", None)
    return data


def scene_index_map(data: Wire) -> list[int]:
    """For each user-numbered scene, its index among scene_blocks."""
    blocks = scene_blocks(data)
    body = scene_segments(data)
    ids = [id(s) for s in body]
    return [i for i, (seg, _) in enumerate(blocks) if id(seg) in ids]
