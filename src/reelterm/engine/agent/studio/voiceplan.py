"""Planning a narrated video: length follows speech, within the length the user asked for.

Every body sentence is said first at the draft's speed. When the speech needs more than the
asked length, the voice is sped up within a natural range (`voice.NATURAL_SPEEDUP`); if that is
not enough, the last sentences are dropped and the reply names them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from reelterm.engine.agent.base import TurnContext
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio import speech, voice
from reelterm.engine.planner.scene_media import Visual
from reelterm.engine.planner.sentences import reading_ms
from reelterm.engine.planner.storyboard import Storyboard, make_storyboard
from reelterm.protocol import Draft

SCENE_PAD_MS = 600
"""What the storyboard adds to a narration to make its scene (lead-in and a breath after)."""
LONGEST_MS = 10 * 60_000
"""The longest video "as long as the narration" makes."""


@dataclass
class VoicePlan:
    """The storyboard made to fit the narration, its clips (one per body scene) and reply notes."""

    sb: Storyboard
    clips: list[voice.Clip]
    notes: list[str] = field(default_factory=list)
    speed: float = 1.0
    keep_length: bool = False
    zh: bool = False


def _card_ms(total: int) -> int:
    return int(min(3000, max(1200, round(total * 0.12 / 100) * 100)))


def _body(sb: Storyboard) -> list[str]:
    return [s.text for s in sb.scenes if s.kind == "scene"]


def _quote(texts: Sequence[str], zh: bool) -> str:
    short = [t if len(t) <= 48 else t[:47].rstrip() + "…" for t in texts]
    return ("、" if zh else ", ").join(f"“{t}”" for t in short[:4]) + (
        ("等" if zh else " and more") if len(short) > 4 else "")


def plan(ctx: TurnContext, text: str, *, duration: int | None, mood: str | None,
         visuals: Sequence[Visual], zh: bool, speed: float = 1.0, fit: bool = False) -> VoicePlan:
    """Narrate `text`'s sentences and plan scenes around them; `fit` makes the video as long as the speech.

    Raises `voice.VoiceError` when synthesis fails and ValueError for text with no words.
    """
    everything = make_storyboard(text, duration_ms=4 * 3600 * 1000, mood=mood, visuals=visuals)
    sentences = _body(everything)
    speed = voice.clamp_speed(speed)
    clips = voice.narrate_scenes(ctx, sentences, speed)
    notes: list[str] = []
    need = sum(max(reading_ms(t), c.ms + SCENE_PAD_MS) for t, c in zip(sentences, clips, strict=True))
    if fit:
        total = need
        for _ in range(3):
            total = need + 2 * _card_ms(total)
        duration = min(LONGEST_MS, int(math.ceil(total / 100) * 100))
    elif duration is not None:
        budget = duration - 2 * _card_ms(duration) - SCENE_PAD_MS * len(clips)
        speech_ms = sum(c.ms for c in clips)
        if budget > 0 and speech_ms > budget and speed < voice.NATURAL_SPEEDUP:
            faster = min(voice.NATURAL_SPEEDUP, math.ceil(speed * speech_ms / budget * 1.03 * 20) / 20)
            clips = voice.narrate_scenes(ctx, sentences, faster)
            speed = clips[0].speed if clips else faster
            notes.append(("为了放进{s}秒，配音语速加快到{x}倍（仍在自然范围内）。" if zh else
                          "To fit {s} seconds the voice speaks faster, at {x}x (still a natural pace).")
                         .format(s=round(duration / 1000), x=f"{speed:g}"))
    sb = make_storyboard(text, duration_ms=duration, mood=mood, visuals=visuals,
                         voice_ms=[c.ms for c in clips])
    used = len(_body(sb))
    if used < len(sentences):
        dropped = sentences[used:]
        notes.append(("配音放不进{s}秒，所以去掉了{n}句：{q}。要全部保留，可以说“视频和配音一样长”。" if zh else
                      "The narration does not fit in {s} seconds, so I dropped {n} sentence{pl}: {q}. "
                      "Say “make the video as long as the narration” to keep them all.")
                     .format(s=round(sb.duration_ms / 1000), n=len(dropped), pl="" if len(dropped) == 1 else "s",
                             q=_quote(dropped, zh)))
    elif fit:
        notes.append(("视频长度跟随配音：{s}秒。" if zh else "The video is as long as the narration: {s} seconds.")
                     .format(s=round(sb.duration_ms / 1000)))
    return VoicePlan(sb, clips[:used], notes, speed, keep_length=duration is not None and not fit, zh=zh)


def _words(text: str) -> list[str]:
    from reelterm.media.words import split_words

    return [w.text for w in split_words(text)]


def refs(vp: VoicePlan) -> list[tuple[int, str, int]]:
    """(scene index, asset ref, length ms) for `storyboard_to_draft(voice=...)`."""
    body = [i for i, s in enumerate(vp.sb.scenes) if s.kind == "scene"]
    return [(i, c.ref, c.ms) for i, c in zip(body, vp.clips, strict=False)]


def finish(draft: Draft, vp: VoicePlan) -> Draft:
    """The generated draft with its narration's words, captions following them and music ducking."""
    data = E.to_wire(draft)
    track = E.find_track(data, "voice")
    if track is None:
        return draft
    scenes = speech.scenes_to_narrate(data)
    for seg, clip in zip(sorted(track["sg"], key=lambda s: s["s"]), vp.clips, strict=False):
        m = seg.setdefault("m", {})
        m.update({"text": clip.text, "words": [list(w) for w in clip.words], "speed": clip.speed})
        seg["d"] = max(100, clip.ms)
        sc = next((x for x in scenes if x.scene["s"] <= seg["s"] < x.scene["s"] + x.scene["d"]), None)
        same = sc is not None and _words(sc.text) == _words(clip.text)
        m["captions"] = [c["id"] for c in sc.captions] if same and sc is not None else []
    if vp.keep_length:  # the asked length wins: a voice longer than its scene is cut at the cut
        cut = 0
        for seg in track["sg"]:
            sc = next((x for x in scenes if x.scene["s"] <= seg["s"] < x.scene["s"] + x.scene["d"]), None)
            room = sc.scene["s"] + sc.scene["d"] - seg["s"] if sc is not None else seg["d"]
            if seg["d"] > room:
                seg["d"], cut = max(100, room), cut + 1
        if cut:
            vp.notes.append(f"{cut}个场景的配音超出了场景长度，在切换处被截断；把视频加长即可完整播放。" if vp.zh else
                            f"The narration of {cut} scene{'s' if cut > 1 else ''} is longer than the scene and "
                            "stops at the cut; ask for a longer video to hear all of it.")
    else:
        speech.fit_scenes(data, shrink=False)
    speech.sync_captions(data)
    speech.duck_music(data)
    data.setdefault("m", {})["voice_speed"] = vp.speed
    return E.finish(data)


FIT_WORDS = (r"as long as (the |its |my )?(narration|voice[- ]?over|voice|speech)|"
             r"(fit|match) (the )?(video|length|scenes) to (the )?(narration|voice[- ]?over|voice|speech)|"
             r"(length|duration) (of|from) the (narration|voice)|"
             r"(和|跟|与)(配音|旁白|解说)一样长|按(配音|旁白|解说)(的)?(长度|时长)|长度跟随配音")
"""Phrases asking for a video exactly as long as its narration."""


def wants_fit(text: str) -> bool:
    """True when the message asks for the video to be as long as the narration."""
    import re

    return bool(re.search(FIT_WORDS, text, re.IGNORECASE))
