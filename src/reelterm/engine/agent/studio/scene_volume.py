"""The music's level inside one scene ("a bit louder in scene 2", "第二个场景音乐小一点").

The draft has no volume keyframes, so the music segment is split at the scene's edges (each piece
keeps playing the song from where the one before it stopped: its in-point follows on, wrapped at
the song's length) and only the pieces inside the scene get the new volume. The renderer mixes
each audio segment at its own volume, so that range is louder or quieter and the rest is as it was.
"""

from __future__ import annotations

import copy
from functools import cache

from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio.intents import has
from reelterm.engine.planner.numbers import parse_ordinals
from reelterm.protocol import Draft

_SCENE_WORDS = r"(?<![a-z])(?:scenes?|shots?|slides?)(?![a-z])|场景|镜头|画面"


def scenes_named(data: E.Wire, text: str) -> list[int] | None:
    """The 1-based scene numbers a volume request is limited to, or None when it names no scene."""
    if not has(_SCENE_WORDS, text):
        return None
    count = len(E.scene_segments(data))
    nums = [count + 1 + n if n < 0 else n for n in parse_ordinals(text) if n != 0]
    return nums or None


def scene_span(data: E.Wire, n: int) -> tuple[int, int]:
    """The start and end (ms) of scene `n` (1-based, between the title and end cards)."""
    seg = E.scene_segments(data)[n - 1]
    return seg["s"], seg["s"] + seg["d"]


@cache
def _song_ms(src: str) -> int | None:
    """The length of a bundled song (`music:mood/stem`), or None when it cannot be read."""
    if not src.startswith("music:"):
        return None
    from reelterm.engine.planner.moods import _tracks_dir
    from reelterm.media.probe import probe

    root = _tracks_dir()
    path = None if root is None else root / f"{src.split(':', 1)[1]}.opus"
    if path is None or not path.is_file():
        return None
    try:
        return probe(path).duration_ms or None
    except Exception:  # noqa: BLE001 - an unreadable song: the in-point is left unwrapped
        return None


def _split(track: E.Wire, at: int) -> None:
    """Cut the track's segment that spans `at` into two that play on seamlessly."""
    for seg in list(track.get("sg", [])):
        if not seg["s"] < at < seg["s"] + seg["d"]:
            continue
        ids = {x.get("id") for x in track["sg"]}
        n = 2
        while f"{seg.get('id')}-{n}" in ids:
            n += 1
        tail = copy.deepcopy(seg)
        offset = seg.get("in", 0) + (at - seg["s"])
        song = _song_ms(str(seg.get("src", "")))
        tail.update({"id": f"{seg.get('id')}-{n}", "s": at, "d": seg["s"] + seg["d"] - at,
                     "in": offset % song if song else offset})
        tail.setdefault("m", {}).pop("fade_in", None)
        seg.setdefault("m", {}).pop("fade_out", None)
        seg["d"] = at - seg["s"]
        track["sg"].append(tail)
        track["sg"].sort(key=lambda x: x["s"])
        return


def pieces_in(data: E.Wire, scenes: list[int]) -> list[E.Wire]:
    """Split the music at the edges of `scenes` and return its pieces lying inside them."""
    track = E.music_track(data)
    if track is None:
        return []
    spans = [scene_span(data, n) for n in scenes]
    for s, e in spans:
        _split(track, s)
        _split(track, e)
    inside = [seg for seg in track["sg"] if any(s <= seg["s"] and seg["s"] + seg["d"] <= e for s, e in spans)]
    ids = {n: E.scene_segments(data)[n - 1].get("id") for n in scenes}
    for seg in track["sg"]:
        seg.setdefault("m", {})["piece"] = True
    for seg in inside:
        seg["m"]["scene_level"] = next(ids[n] for n, (s, e) in zip(scenes, spans, strict=True)
                                       if s <= seg["s"] and seg["s"] + seg["d"] <= e)
    return inside


def reflow(draft: Draft) -> Draft:
    """After an edit that moved, dropped or stretched scenes: the music as one song again, re-split at
    the scenes that still have their own level (unchanged when no scene has one)."""
    music = next((t for t in draft.t if t.id == "music"), None)
    if music is None or not any((seg.m.model_extra or {}).get("piece") for seg in music.sg):
        return draft
    data = E.to_wire(draft)
    track = E.music_track(data)
    pieces = sorted(track["sg"], key=lambda x: (x["s"], x.get("in", 0)))
    levels = {p["m"].get("scene_level"): p["m"].get("volume") for p in pieces if p["m"].get("scene_level")}
    base = next((p for p in pieces if not p["m"].get("scene_level")), pieces[0])
    first, last = pieces[0], max(pieces, key=lambda x: x["s"] + x["d"])
    song = copy.deepcopy(first)
    song["d"] = last["s"] + last["d"] - first["s"]
    song["m"].update({"volume": base["m"].get("volume")})
    for key in ("piece", "scene_level", "fade_out"):
        song["m"].pop(key, None)
    if last["m"].get("fade_out"):
        song["m"]["fade_out"] = last["m"]["fade_out"]
    track["sg"] = [song]
    body = E.scene_segments(data)
    numbers = {seg.get("id"): i + 1 for i, seg in enumerate(body)}
    for sid, volume in levels.items():
        if sid in numbers and volume != song["m"].get("volume"):
            for seg in pieces_in(data, [numbers[sid]]):
                seg["m"]["volume"] = volume
    return E.finish(data)
