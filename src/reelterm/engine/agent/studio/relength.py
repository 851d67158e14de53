"""A new length for a video made from text: plan it again from the same text, keeping the user's settings."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from reelterm.engine.agent.base import TurnContext
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio import voice, voiceplan
from reelterm.engine.agent.studio.replies import say, seconds
from reelterm.engine.planner.scene_media import Visual
from reelterm.engine.planner.sentences import reading_ms
from reelterm.engine.planner.storyboard import (
    MUSIC_VOLUME,
    Storyboard,
    make_storyboard,
    storyboard_to_draft,
)
from reelterm.protocol import Draft, validate_local_draft

Wire = dict[str, Any]

FROM_TEXT = r"\bre-?plan|\bfrom the (original |source )?(text|script)\b|按原文|根据原文|重新规划|从原文"
"""Words that ask for a re-plan from the text even after the user edited the video's texts."""


def texts_key(data: Wire) -> str:
    """A fingerprint of every text on screen (titles and captions), to notice the user's own edits."""
    texts = sorted(str(seg.get("m", {}).get("text", "")) for t in data.get("t", []) if t.get("tt") == 7
                   for seg in t.get("sg", []))
    return hashlib.sha1("\x1f".join(texts).encode()).hexdigest()[:16]


def remember(draft: Draft, text: str, closing: str, sb: Storyboard) -> Draft:
    """The draft with `m.source`: the text it was planned from and what the plan used of it."""
    data = draft.wire()
    data["m"]["source"] = {"text": text, "closing": closing, "mood": sb.mood, "used": sb.sentences_used,
                           "total": sb.sentences_total, "texts": texts_key(data),
                           "voice_speed": data["m"].get("voice_speed")}  # a speed-up to fit is not the user's choice
    return Draft.model_validate(data)


def _first_key(data: Wire, scene_id: str) -> str:
    for t in data.get("t", []):
        for seg in t.get("sg", []) if t.get("tt") == 7 else ():
            m = seg.get("m", {})
            if m.get("scene") == scene_id and m.get("role") == "headline":
                return str(m.get("text", ""))
    return ""


def _carry_over(old: Wire, new: Wire) -> None:
    """Keep what the user chose: canvas, draft settings, scene pictures and backgrounds, transitions, no pictures."""
    keep = {k: v for k, v in old.get("m", {}).items() if k not in ("source", "title")}
    new["m"].update(keep)
    old_video: Wire = next((t for t in old["t"] if t.get("id") == "video"), {"sg": []})
    new_video: Wire = next((t for t in new["t"] if t.get("id") == "video"), {"sg": []})
    old_pics = next((t for t in old["t"] if t.get("id") == "pictures"), None)
    new_pics = next((t for t in new["t"] if t.get("id") == "pictures"), None)
    by_key = {_first_key(old, s["id"]): s for s in old_video["sg"] if s.get("id")}
    for seg in new_video["sg"]:
        was = by_key.get(_first_key(new, seg["id"]))
        if was is None:
            continue
        seg["src"] = was.get("src", seg.get("src"))
        for k in ("layout", "fit", "move", "loop", "volume"):
            if k in was.get("m", {}):
                seg["m"][k] = was["m"][k]
        if new_pics is None:
            continue
        before = [p for p in (old_pics or {"sg": []})["sg"] if p.get("m", {}).get("scene") == was["id"]]
        now = [p for p in new_pics["sg"] if p.get("m", {}).get("scene") == seg["id"]]
        if sorted(p.get("src", "") for p in before) == sorted(p.get("src", "") for p in now):
            continue  # the planner's own pictures: keep the new timing
        new_pics["sg"] = [p for p in new_pics["sg"] if p not in now]  # the user changed them: theirs stay
        for n, p in enumerate(before):
            new_pics["sg"].append({**p, "id": f"p{seg['id'][1:]}-{n + 1}", "s": seg["s"], "d": seg["d"],
                                   "m": {**p.get("m", {}), "scene": seg["id"]}})
    if new_pics is not None and (old_pics is None or not old_pics["sg"]):
        new["t"] = [t for t in new["t"] if t is not new_pics]  # "no pictures" stays
    if not any(s.get("m", {}).get("transition") for s in old_video["sg"]):
        for seg in new_video["sg"]:
            seg["m"].pop("transition", None)
            seg["m"].pop("transition_ms", None)


def replan(ctx: TurnContext, data: Wire, ms: int, message: str, zh: bool) -> tuple[Draft | None, str]:
    """(The video planned again at `ms`, its reply) when the new length changes which sentences fit;
    (None, a note or "") when stretching is right: no source text, the same sentences, or
    texts the user edited by hand (the note says how to re-plan anyway)."""
    src = data.get("m", {}).get("source")
    if not isinstance(src, dict) or not src.get("text"):
        return None, ""
    narrated = any(t.get("id") == "voice" and t.get("sg") for t in data["t"])
    music = next((t for t in data["t"] if t.get("id") == "music" and t.get("sg")), None)
    if music is not None and len(music["sg"]) > 1:
        return None, ""  # music levels set per scene: stretching keeps them
    visuals = [Visual(u.src, u.kind, u.duration_ms, u.filename) for u in ctx.uploads if u.kind in ("image", "video")]
    vp = None
    asked = data["m"].get("voice_speed")
    asked = None if asked == src.get("voice_speed") else asked  # the user's own speed, not one made to fit
    try:
        sb = make_storyboard(str(src["text"]), duration_ms=ms, mood=src.get("mood"), visuals=visuals,
                             closing=str(src.get("closing") or ""))
        if narrated and voice.available():  # the narration decides what fits: said again at the new length
            vp = voiceplan.plan(ctx, str(src["text"]), duration=ms, mood=src.get("mood"), visuals=visuals, zh=zh,
                                speed=float(asked or 1.0))
            sb = vp.sb
        elif narrated:
            return None, ""
    except (ValueError, voice.VoiceError):
        return None, ""
    used = int(src.get("used") or 0)
    if sb.sentences_used == used:
        return None, ""
    if texts_key(data) != src.get("texts") and not re.search(FROM_TEXT, message, re.IGNORECASE):
        return None, say("relength_edited", zh, seconds=seconds(ms), count=abs(sb.sentences_used - used),
                         more="brought back" if sb.sentences_used > used else "left out",
                         more_zh="放回" if sb.sentences_used > used else "去掉")
    first = music["sg"][0] if music else None
    volume = (first or {}).get("m", {}).get("volume")
    draft = storyboard_to_draft(sb, width=int(data["m"].get("width", 1920)), height=int(data["m"].get("height", 1080)),
                                music=first.get("src") if first else None,
                                music_volume=MUSIC_VOLUME if volume is None else float(volume),
                                voice=voiceplan.refs(vp) if vp is not None else ())
    if vp is not None:
        draft = voiceplan.finish(draft, vp)
    new = draft.wire()
    _carry_over(data, new)
    new["m"]["source"] = {**src, "used": sb.sentences_used, "texts": texts_key(new)}
    if vp is not None:  # the speed the narration was said at; remembered as made-to-fit unless the user's own
        new["m"]["voice_speed"] = vp.speed
        new["m"]["source"]["voice_speed"] = None if asked is not None and vp.speed == asked else vp.speed
    out = E.finish(new)
    validate_local_draft(out)
    gained = sb.sentences_used - used
    key = "relength_more" if gained > 0 else "relength_fewer"
    reply = say(key, zh, seconds=seconds(out.duration_ms), count=abs(gained),
                scenes=sum(1 for s in sb.scenes if s.kind == "scene"))
    return out, ("" if zh else " ").join([reply, *(vp.notes if vp is not None else [])])


def _readable(data: Wire, ms: int) -> bool:
    """Would every text on screen still be readable (≥ 1.2 s, ¾ of its reading time) squeezed to `ms`?"""
    f = ms / max(1, E.total_ms(data))
    texts = [seg for t in data["t"] if t.get("tt") == 7 for seg in t.get("sg", [])]
    return all(seg["d"] * f >= min(seg["d"], max(1200, 0.75 * reading_ms(str(seg.get("m", {}).get("text", "")))))
               for seg in texts)


def drop_for_reading(data: Wire, ms: int) -> list[str]:
    """Before squeezing to `ms`: drop the last scenes (with all they hold) until every text stays readable.
    Returns the first words of each scene dropped, in order; the first scene always stays."""
    dropped: list[str] = []
    while not _readable(data, ms):
        body = E.scene_index_map(data)
        blocks = E.scene_blocks(data)
        if len(body) < 2:
            break
        seg = blocks[body[-1]][0]
        dropped.insert(0, _first_key(data, seg.get("id", "")) or str(seg.get("m", {}).get("name", "")))
        E.rearrange(data, list(range(len(blocks))), {body[-1]})
    return dropped
