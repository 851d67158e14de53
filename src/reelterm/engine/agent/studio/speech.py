"""Narration that drives timing: voice clips placed per scene, scenes fitted to what is said,
captions following the voice's word timings, music ducked only while it speaks.

Everything here works on wire drafts (dicts). A narration segment (track `voice`) carries
`m.text` (what it says), `m.words` (one `[start, end]` ms pair per word, relative to the
segment), `m.speed` and `m.captions` (the ids of the caption segments it reads, in order).
"""

from __future__ import annotations

from dataclasses import dataclass

from reelterm.engine.agent.base import TurnContext
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio import voice
from reelterm.media.words import split_words

DUCK_DB = 14
"""How far the music goes down while the voice speaks (it stays at its volume in the gaps)."""
LEAD_MS = 300
"""The voice starts this long after its scene's cut."""
TAIL_MS = 500
"""A scene lasts at least this long after its voice ends."""
MIN_SCENE_MS = 1200
"""The shortest a scene is made when fitted to its narration."""


@dataclass
class SceneText:
    """A scene to narrate: its background segment, the caption segments it shows, the words."""

    scene: E.Wire
    captions: list[E.Wire]
    text: str


def scenes_to_narrate(data: E.Wire) -> list[SceneText]:
    """Each body scene with the text it shows (its captions; a short scene's big words)."""
    out = []
    for seg, attached in E.scene_blocks(data):
        if seg.get("m", {}).get("name") in E.CARD_NAMES:
            continue
        ordered = sorted((x for x in attached if x.get("m", {}).get("text")), key=lambda x: x["s"])
        caps = [x for x in ordered if x["m"].get("style") in ("caption", None)]
        words = " ".join(x["m"]["text"].strip() for x in caps)
        if not words.strip():  # a short scene shows its sentence as big words only
            caps = []
            words = " ".join(x["m"]["text"].strip() for x in ordered)
        if words.strip():
            out.append(SceneText(seg, caps, words))
    return out


def lay_voice(data: E.Wire, scenes: list[SceneText], clips: list[voice.Clip]) -> E.Wire:
    """Put one narration segment per scene on the `voice` track (replacing any old one)."""
    old = E.find_track(data, "voice")
    if old is not None:
        data["t"].remove(old)
    track = E.ensure_track(data, "voice", 1, "Narration")
    for k, (sc, clip) in enumerate(zip(scenes, clips, strict=True)):
        track["sg"].append({"id": f"n{k + 1}", "s": sc.scene["s"] + min(LEAD_MS, sc.scene["d"] // 4),
                            "d": max(100, clip.ms), "src": clip.ref, "m": {
                                "name": f"Narration {k + 1}", "volume": 1.0, "text": clip.text,
                                "words": [list(w) for w in clip.words], "speed": clip.speed,
                                "captions": [c["id"] for c in sc.captions if c.get("id")]}})
    return data


def duck_music(data: E.Wire) -> None:
    """Music keyed to the voice: back at its normal level, lowered by `DUCK_DB` while it speaks."""
    from reelterm.engine.planner.storyboard import DUCKED_VOLUME, MUSIC_VOLUME

    music = E.music_track(data)
    for seg in (music or {}).get("sg", []):
        m = seg.setdefault("m", {})
        if m.get("volume") in (None, DUCKED_VOLUME):
            m["volume"] = MUSIC_VOLUME
        m["duck"] = DUCK_DB


def voice_needs(data: E.Wire) -> list[int]:
    """For each main-video segment, the length its narration needs (0 when it has none)."""
    blocks = E.scene_blocks(data)
    needs = [0] * len(blocks)
    for seg in (E.find_track(data, "voice") or {}).get("sg", []):
        for i, (scene, _) in enumerate(blocks):
            if scene["s"] <= seg["s"] < scene["s"] + scene["d"]:
                needs[i] = max(needs[i], seg["s"] - scene["s"] + seg["d"] + TAIL_MS)
    return needs


def fit_scenes(data: E.Wire, *, shrink: bool) -> tuple[int, int]:
    """Stretch each narrated scene to hold its voice (and with `shrink`, cut it down to it).

    Returns the timeline's (old, new) length.
    """
    old_total = E.total_ms(data)
    blocks = E.scene_blocks(data)
    needs = voice_needs(data)
    lengths = []
    for (scene, _), need in zip(blocks, needs, strict=True):
        length = scene["d"]
        if need and (need > length or shrink):
            length = max(MIN_SCENE_MS, need)
        lengths.append(length)
    if lengths != [scene["d"] for scene, _ in blocks]:
        retime(data, lengths)
    return old_total, E.total_ms(data)


def retime(data: E.Wire, lengths: list[int]) -> None:
    """Give the main video's scenes these lengths; everything else moves and stretches with them.

    Times map piecewise-linearly scene by scene; narration keeps its own length (sound cannot
    stretch) and only moves.
    """
    vt = E.main_video(data)
    if vt is None:
        return
    scenes = sorted(vt["sg"], key=lambda s: s["s"])
    # (start, end) of each scene before and after; gaps between them keep their length
    old: list[tuple[int, int]] = []
    new: list[tuple[int, int]] = []
    t = prev = scenes[0]["s"] if scenes else 0
    for seg, length in zip(scenes, lengths, strict=True):
        a = max(seg["s"], prev)
        t += a - prev
        old.append((a, max(a + 1, seg["s"] + seg["d"])))
        new.append((t, t + length))
        prev, t = old[-1][1], t + length
    old_end, new_end = (old[-1][1], new[-1][1]) if old else (0, 0)

    def f(x: int) -> int:
        for (a, b), (na, nb) in zip(old, new, strict=True):
            if a <= x <= b:
                return round(na + (x - a) * (nb - na) / max(1, b - a))
        if x > old_end:
            return x + new_end - old_end
        after = [(b, nb) for (_, b), (_, nb) in zip(old, new, strict=True) if b <= x]
        return x + (after[-1][1] - after[-1][0]) if after else x  # in a gap: moves with the scene before

    for track in data["t"]:
        for seg in track.get("sg", []):
            s, e = f(seg["s"]), f(seg["s"] + seg["d"])
            if track.get("id") == "voice":  # keeps its place after its scene's cut
                seg["s"] = next((na + seg["s"] - a for (a, b), (na, _) in zip(old, new, strict=True)
                                 if a <= seg["s"] < b), s)
                continue
            seg["s"], seg["d"] = s, max(1, e - s)
            m = seg.get("m", {})
            if m.get("transition_ms"):
                m["transition_ms"] = min(m["transition_ms"], seg["d"] // 4)


def sync_captions(data: E.Wire) -> int:
    """Time each narration's captions to its words; returns how many captions now follow a voice."""
    by_id = {seg.get("id"): seg for t in data["t"] if t.get("tt") == 7 for seg in t.get("sg", [])}
    done = 0
    for nar in (E.find_track(data, "voice") or {}).get("sg", []):
        m = nar.get("m", {})
        words, ids = m.get("words"), m.get("captions") or []
        caps = [by_id[i] for i in ids if i in by_id]
        if not caps or not isinstance(words, list) or len(caps) != len(ids):
            continue
        counts = [len(split_words(c["m"].get("text", ""))) for c in caps]
        if sum(counts) != len(words) or len(split_words(m.get("text", ""))) != len(words):
            continue  # the captions were edited: they no longer read what the voice says
        scene_end = max(c["s"] + c["d"] for c in caps)
        room = next((b["s"] + b["d"] for b, _ in E.scene_blocks(data) if b["s"] <= nar["s"] < b["s"] + b["d"]),
                    scene_end)
        k = 0
        starts = []
        for n in counts:
            starts.append(nar["s"] + words[k][0])
            k += n
        end_voice = nar["s"] + words[-1][1]
        k = 0
        for j, (cap, n) in enumerate(zip(caps, counts, strict=True)):
            a = min(cap["s"], starts[0]) if j == 0 else starts[j]
            b = starts[j + 1] if j + 1 < len(caps) else min(room, max(scene_end, end_voice + 300))
            cap["s"], cap["d"] = a, max(100, b - a)
            cap["m"]["words"] = [[nar["s"] + x - a, nar["s"] + y - a] for x, y in words[k:k + n]]
            k += n
            done += 1
    return done


def narrate(ctx: TurnContext, data: E.Wire, scenes: list[SceneText], speed: float) -> list[voice.Clip]:
    """Synthesise the scenes, lay the clips, fit the scenes, follow with captions, duck the music."""
    clips = voice.narrate_scenes(ctx, [sc.text for sc in scenes], speed)
    lay_voice(data, scenes, clips)
    fit_scenes(data, shrink=False)
    sync_captions(data)
    duck_music(data)
    data.setdefault("m", {})["voice_speed"] = voice.clamp_speed(speed)
    return clips


def renarrate(ctx: TurnContext, data: E.Wire, *, speed: float | None = None, shrink: bool = False) -> int:
    """Say every narration segment again (at `speed`, else the draft's `m.voice_speed`).

    Scenes stretch to hold longer speech (and with `shrink` fit it exactly); captions follow the
    new words. Returns how many clips were made; `voice.VoiceError` when synthesis fails.
    """
    speed = voice.clamp_speed(speed if speed is not None else data.get("m", {}).get("voice_speed", 1.0))
    track = E.find_track(data, "voice")
    made = 0
    for seg in (track or {}).get("sg", []):
        text = seg.get("m", {}).get("text")
        if not isinstance(text, str) or not text.strip():
            continue
        ref, path = ctx.new_asset("voice", ".wav")
        clip = voice.synthesize(text, path, speed)
        seg["src"], seg["d"] = ref, max(100, clip.ms)
        seg["m"].update({"words": [list(w) for w in clip.words], "speed": clip.speed})
        made += 1
    data.setdefault("m", {})["voice_speed"] = speed
    fit_scenes(data, shrink=shrink)
    sync_captions(data)
    return made
