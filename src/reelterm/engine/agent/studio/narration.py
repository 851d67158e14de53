"""The narration tool: add a voiceover to the scenes on the timeline (music ducked), or remove it."""

from __future__ import annotations

import re

from reelterm.engine.agent.base import TurnContext
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio import voice
from reelterm.engine.agent.studio.intents import Intent
from reelterm.engine.agent.studio.replies import say
from reelterm.engine.agent.studio.tools import REMOVE, Outcome, ask, need_content
from reelterm.engine.planner.sentences import is_cjk
from reelterm.engine.planner.storyboard import DUCKED_VOLUME, MUSIC_VOLUME


def narration(ctx: TurnContext, intent: Intent, message: str, zh: bool) -> Outcome:
    """Turn narration on (one voice clip per scene, from its captions) or off."""
    data = E.to_wire(ctx.draft)
    music = E.music_track(data)
    if re.search(REMOVE + r"|\boff\b", intent.bare, re.IGNORECASE):
        track = E.find_track(data, "voice")
        if track is None:
            return ask(say("voice_none", zh))
        data["t"].remove(track)
        restored = False
        for seg in (music or {}).get("sg", []):
            if seg.get("m", {}).get("volume") == DUCKED_VOLUME:
                seg["m"]["volume"] = MUSIC_VOLUME
                restored = True
        reply = say("voice_removed", zh, volume=round(MUSIC_VOLUME * 100)) if restored else say("voice_removed_plain", zh)
        return Outcome("set_narration", {"on": False}, E.finish(data), reply, "Narration off")
    need_content(data)
    if not voice.available():
        return ask(say("voice_missing_edit", zh))
    scenes = []
    for seg, attached in E.scene_blocks(data):
        ordered = sorted(attached, key=lambda x: x["s"])
        words = " ".join(x["m"]["text"] for x in ordered
                         if x.get("m", {}).get("text") and x["m"].get("style") in ("caption", None))
        if not words.strip():  # a short scene shows its sentence as big words only
            words = " ".join(x["m"]["text"] for x in ordered if x.get("m", {}).get("text"))
        if words.strip() and seg.get("m", {}).get("name") not in E.CARD_NAMES:
            scenes.append((seg, words))
    if not scenes:
        return ask(say("text_which", zh, style="caption"))
    if any(is_cjk(w) for _, w in scenes):
        return ask(say("voice_english_only", zh))
    try:
        clips = voice.narrate_scenes(ctx, [w for _, w in scenes])
    except voice.VoiceError as exc:
        raise E.EditError("failed", error=str(exc)) from exc
    old = E.find_track(data, "voice")
    if old is not None:
        data["t"].remove(old)
    track = E.ensure_track(data, "voice", 1, "Narration")
    for k, ((seg, _), (ref, ms)) in enumerate(zip(scenes, clips, strict=True)):
        start = seg["s"] + min(300, seg["d"] // 4)
        track["sg"].append({"id": f"n{k + 1}", "s": start, "d": max(100, min(ms, seg["s"] + seg["d"] - start)),
                            "src": ref, "m": {"name": f"Narration {k + 1}", "volume": 1.0}})
    for seg in (music or {}).get("sg", []):
        m = seg.setdefault("m", {})
        m["volume"] = min(m.get("volume") or MUSIC_VOLUME, DUCKED_VOLUME)
    return Outcome("set_narration", {"on": True, "clips": len(clips)}, E.finish(data),
                   say("voice_added", zh, count=len(clips), volume=round(DUCKED_VOLUME * 100)), "Narration on")
