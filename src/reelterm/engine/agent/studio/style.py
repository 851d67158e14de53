"""Caption style ("karaoke captions", "plain captions", "逐字字幕") and narration speed ("slower voice")."""

from __future__ import annotations

import re

from reelterm.engine.agent.base import TurnContext
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio import speech, voice
from reelterm.engine.agent.studio.intents import RuleMatch, has
from reelterm.engine.agent.studio.replies import say
from reelterm.engine.agent.studio.tools import Outcome, ask, need_content
from reelterm.engine.planner.amounts import degree
from reelterm.engine.planner.numbers import normalize

VOICE_SPEEDS = (0.7, 1.4)
"""The narration speeds the voice can read at (1.0 is its natural pace)."""
_WORDS = (r"karaoke|word[- ]by[- ]word|word[- ]level|each word|every word|highlight|逐字|卡拉ok|跟读")
_PLAIN = r"plain|normal|regular|simple|static|sentence|not word|no karaoke|普通|整句|静态|不要逐字"


def caption_mode(text: str) -> str | None:
    """`words` or `plain` when the text asks for a caption style, else None."""
    low = text.lower()
    if not has(r"caption|subtitle|subs\b|字幕|karaoke|word[- ]by[- ]word|逐字", low):
        return None
    return "plain" if has(_PLAIN, low) else "words" if has(_WORDS, low) else None


def caption_style(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome:
    """Set the draft's `m.captions` to `words` (each word lights up as it is said) or `plain`."""
    data = E.to_wire(ctx.draft)
    need_content(data)
    low = match.bare.lower()
    mode = "plain" if has(_PLAIN, low) else "words" if has(_WORDS, low) else None
    if mode is None:
        return ask(say("captions_which", zh))
    meta = data.setdefault("m", {})
    if meta.get("captions") == mode:
        return ask(say("captions_same", zh, mode=mode))
    meta["captions"] = mode
    return Outcome("set_caption_style", {"captions": mode}, E.finish(data), say("captions_set", zh, mode=mode),
                   f"Captions: {mode}")


def voice_speed(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome:
    """Set the draft's `m.voice_speed` (0.7-1.4): an exact value, or slower/faster by a degree."""
    data = E.to_wire(ctx.draft)
    need_content(data)
    meta = data.setdefault("m", {})
    current = float(meta.get("voice_speed") or 1.0)
    norm = normalize(match.bare)
    low, high = VOICE_SPEEDS
    exact = re.search(r"(?<![\d.])(\d(?:\.\d+)?)\s*(?:x|×|倍)?(?![\d%])", norm)
    percent = re.search(r"(\d{2,3})\s*%", norm)
    found = percent or exact
    if found:
        value = float(found.group(1)) / 100 if found is percent else float(found.group(1))
        if not low <= value <= high:
            return ask(say("voice_speed_range", zh, asked=f"{value:g}", low=low, high=high))
    else:
        slower = has(r"slow|too fast|rushed|慢|太快", norm) and not has(r"too slow|太慢", norm)
        faster = has(r"fast|quick|speed up|too slow|drag|快|太慢", norm) and not has(r"too fast|太快", norm)
        if slower == faster:
            return ask(say("voice_speed_which", zh, speed=f"{current:g}"))
        step = 0.15 * degree(norm)
        value = current - step if slower else current + step
        clamped = min(high, max(low, value))
        if clamped == current:
            return ask(say("voice_speed_limit", zh, speed=f"{current:g}", low=low, high=high))
        value = clamped
    value = round(value, 2)
    meta["voice_speed"] = value
    reply = say("voice_speed_set", zh, speed=f"{value:g}")
    if not any(t.get("id") == "voice" for t in data.get("t", [])):
        reply += " " + say("voice_speed_no_voice", zh)
    elif voice.available():  # say the narration again at that speed; captions follow (studio/speech.py)
        try:
            speech.renarrate(ctx, data, speed=value)
        except voice.VoiceError as exc:
            raise E.EditError("failed", error=str(exc)) from exc
    return Outcome("set_voice_speed", {"voice_speed": value}, E.finish(data), reply, f"Voice speed {value:g}")


def pace(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome | None:
    """"Too fast" with narration: the voice reads slower; without, None (the video gets longer instead)."""
    if not any(t.id == "voice" and t.sg for t in ctx.draft.t):
        return None
    return voice_speed(ctx, match, message, zh)
