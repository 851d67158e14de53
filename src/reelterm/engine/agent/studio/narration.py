"""The narration tool: add a voiceover to the scenes on the timeline (captions follow it, music
ducks under it), or remove it."""

from __future__ import annotations

import re

from reelterm.engine.agent.base import TurnContext
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio import speech, voice
from reelterm.engine.agent.studio.intents import RuleMatch
from reelterm.engine.agent.studio.replies import say
from reelterm.engine.agent.studio.tools import REMOVE, Outcome, ask, need_content
from reelterm.engine.planner.storyboard import DUCKED_VOLUME, MUSIC_VOLUME


def narration(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome | list[Outcome]:
    """Turn narration on (one voice clip per scene, from its captions) or off.

    On an empty timeline ("make a video with a voiceover") the video is made first, narrated.
    """
    if not ctx.draft.ready and not re.search(REMOVE, match.bare, re.IGNORECASE):
        from reelterm.engine.agent.studio.generate import generate

        return generate(ctx, match, message, zh)
    data = E.to_wire(ctx.draft)
    music = E.music_track(data)
    if re.search(REMOVE + r"|\boff\b", match.bare, re.IGNORECASE):
        track = E.find_track(data, "voice")
        if track is None:
            return ask(say("voice_none", zh))
        data["t"].remove(track)
        restored = False
        for seg in (music or {}).get("sg", []):
            m = seg.get("m", {})
            if m.pop("duck", None) is not None or m.get("volume") == DUCKED_VOLUME:
                m["volume"] = MUSIC_VOLUME if m.get("volume") == DUCKED_VOLUME else m.get("volume", MUSIC_VOLUME)
                restored = True
        for track in data["t"]:  # captions no longer follow a voice: a reading pace instead
            for seg in track.get("sg", []) if track.get("tt") == 7 else ():
                seg.get("m", {}).pop("words", None)
        reply = say("voice_removed", zh, volume=round(MUSIC_VOLUME * 100)) if restored else say("voice_removed_plain", zh)
        return Outcome("set_narration", {"on": False}, E.finish(data), reply, "Narration off")
    need_content(data)
    if not voice.available():
        return ask(say("voice_missing_edit", zh))
    scenes = speech.scenes_to_narrate(data)
    if not scenes:
        return ask(say("text_which", zh, style="caption"))
    if any(voice.voice_for(sc.text) is None for sc in scenes):
        return ask(say("voice_english_only", zh))
    old_total = E.total_ms(data)
    try:
        clips = speech.narrate(ctx, data, scenes, data.get("m", {}).get("voice_speed", 1.0))
    except voice.VoiceError as exc:
        raise E.EditError("failed", error=str(exc)) from exc
    reply = say("voice_added", zh, count=len(clips), volume=round(MUSIC_VOLUME * 100))
    new_total = E.total_ms(data)
    if new_total != old_total:
        reply += (f" 为了放下配音，视频从{old_total / 1000:g}秒变为{new_total / 1000:g}秒。" if zh else
                  f" The scenes grew to hold what is said: the video is now {new_total / 1000:g} s "
                  f"(was {old_total / 1000:g} s).")
    return Outcome("set_narration", {"on": True, "clips": len(clips)}, E.finish(data), reply, "Narration on")
