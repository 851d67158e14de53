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
_CARDS = {"title": r"\b(?:title card|intro|opening)\b|片头(?!的?(?:文字|字|标题))|开头",
          "end": r"\b(?:end card|ending|outro|closing card)\b|片尾|结尾"}
Place = int | str
"""A scene number (1-based, between the cards), or `"title"` / `"end"` for the title and end cards."""


def places_named(data: E.Wire, text: str) -> list[Place] | None:
    """The scenes (or cards) a volume request is limited to, or None when it names none."""
    cards: list[Place] = [name for name, pattern in _CARDS.items() if has(pattern, text) and _card(data, name)]
    if not has(_SCENE_WORDS, text):
        return cards or None
    count = len(E.scene_segments(data))
    nums: list[Place] = [count + 1 + n if n < 0 else n for n in parse_ordinals(text) if n != 0]
    return (cards + nums) or None


def _card(data: E.Wire, name: str) -> E.Wire | None:
    segs = sorted((E.main_video(data) or {}).get("sg", []), key=lambda x: x["s"])
    seg = segs[0] if name == "title" and segs else segs[-1] if segs else None
    wanted = "Title card" if name == "title" else "End card"
    return seg if seg is not None and seg.get("m", {}).get("name") == wanted else None


def place_words(places: list[Place]) -> tuple[str, str]:
    """How the reply names the places: ("scene 2", "第2个场景"), ("the title card", "片头")."""
    en = [f"scene {p}" if isinstance(p, int) else f"the {p} card" for p in places]
    zh = [f"第{p}个场景" if isinstance(p, int) else ("片头" if p == "title" else "片尾") for p in places]
    return " and ".join(en), "和".join(zh)


def segment_of(data: E.Wire, place: Place) -> E.Wire | None:
    """The video segment of a place, or None when there is no such scene or card."""
    if isinstance(place, str):
        return _card(data, place)
    body = E.scene_segments(data)
    return body[place - 1] if 1 <= place <= len(body) else None


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


def pieces_in(data: E.Wire, places: list[Place]) -> list[E.Wire]:
    """Split the music at the edges of `places` and return its pieces lying inside them."""
    track = E.music_track(data)
    if track is None:
        return []
    scenes = [seg for seg in (segment_of(data, p) for p in places) if seg is not None]
    for seg in scenes:
        _split(track, seg["s"])
        _split(track, seg["s"] + seg["d"])
    for piece in track["sg"]:
        piece.setdefault("m", {})["piece"] = True
    inside = []
    for piece in track["sg"]:
        home = next((seg for seg in scenes if seg["s"] <= piece["s"] and piece["s"] + piece["d"] <= seg["s"] + seg["d"]), None)
        if home is not None:
            piece["m"]["scene_level"] = home.get("id")
            inside.append(piece)
    return inside


def _pieces_of(data: E.Wire, scene: E.Wire) -> list[E.Wire]:
    body = E.scene_segments(data)
    place: Place = next((i + 1 for i, seg in enumerate(body) if seg is scene), "title")
    if place == "title" and _card(data, "title") is not scene:
        place = "end"
    return pieces_in(data, [place])


def reflow(draft: Draft) -> Draft:
    """After an edit that moved, dropped or stretched scenes: the music as one song again, re-split at
    the scenes that still have their own level (unchanged when no scene has one)."""
    music = next((t for t in draft.t if t.id == "music"), None)
    if music is None or not any((seg.m.model_extra or {}).get("piece") for seg in music.sg):
        return draft
    data = E.to_wire(draft)
    track = E.music_track(data)
    if track is None:  # the wire form always has the music track the draft has; kept for mypy
        return draft
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
    video = {seg.get("id"): seg for seg in (E.main_video(data) or {}).get("sg", [])}
    for sid, volume in levels.items():
        if sid in video and volume != song["m"].get("volume"):
            for seg in _pieces_of(data, video[sid]):
                seg["m"]["volume"] = volume
    return E.finish(data)
