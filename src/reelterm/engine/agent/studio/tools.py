"""The editing tools: a message and a draft in, an `Outcome` (new draft + reply) out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reelterm.engine.agent.base import TurnContext
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio import relength, scene_volume
from reelterm.engine.agent.studio.intents import RuleMatch, has
from reelterm.engine.agent.studio.replies import quote_list, say, seconds
from reelterm.engine.planner.amounts import length_change, volume_change
from reelterm.engine.planner.formats import parse_format
from reelterm.engine.planner.moods import (
    DEFAULT_MOOD,
    choose_music,
    genre_named,
    mood_from_text,
    mood_of,
)
from reelterm.engine.planner.numbers import (
    normalize,
    parse_duration_ms,
    parse_percent,
    parse_time_span,
)
from reelterm.engine.planner.storyboard import MUSIC_VOLUME
from reelterm.protocol import Draft

MAX_VOLUME = 2.0
"""The loudest a track may be set (200%)."""
MAX_LENGTH_MS = 30 * 60_000
"""The longest video a length change makes."""
MIN_LENGTH_MS = 500
"""The shortest."""
REMOVE = r"\b(remove|delete|drop|get rid of|take (out|off)|turn off|no|without|clear|kill|lose|disable|stop|don'?t want|do not want|no more|ditch|scrap|off)\b|去掉|删除|删掉|删了|不要|关掉|关了|关上|停掉|取消|去除|拿掉|移除|清除|关闭"
CHANGE = r"\b(change|edit|rename|replace|update|switch|swap|make the|should say|to say|set)\b|改成|改为|换成|修改|更改|替换|改一下"


@dataclass
class Outcome:
    """One tool's result: commit `draft` (if any) and say `reply`; `delta` joins the state delta."""

    tool: str | None
    args: dict[str, Any]
    draft: Draft | None
    reply: str
    summary: str = ""
    delta: dict[str, Any] = field(default_factory=dict)


def ask(reply: str) -> Outcome:
    """A question or an answer that changes nothing."""
    return Outcome(None, {}, None, reply)



def need_content(data: E.Wire) -> None:
    """Raise `EditError("empty_draft")` when the timeline has nothing on it."""
    if E.total_ms(data) <= 0:
        raise E.EditError("empty_draft")


# ---- music and volume ----------------------------------------------------------------------

def music(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome:
    """Add, replace or remove the background music."""
    data = E.to_wire(ctx.draft)
    track = E.music_track(data)
    if has(REMOVE, match.bare):
        if track is None:
            return ask(say("music_none", zh))
        data["t"].remove(track)
        return Outcome("remove_music", {}, E.finish(data), say("music_removed", zh), "Removed the music")
    need_content(data)
    total = E.total_ms(data)
    current = track["sg"][0] if track and track.get("sg") else None
    asked = re.sub(r"(?:\btoo|太)\s*\S+", " ", message.lower())  # "too cheerful" asks for another mood
    mood = mood_from_text(asked) or (mood_of(current.get("src")) if current else None) or DEFAULT_MOOD
    volume = parse_percent(match.bare)
    if volume is None:
        volume = current.get("m", {}).get("volume", MUSIC_VOLUME) if current else MUSIC_VOLUME
    src = choose_music(mood, f"{ctx.draft.m.title}|{mood}", avoid=current.get("src") if current else None)
    if src is None:
        raise E.EditError("failed", error="the music library is not installed", error_zh="没有安装音乐库")
    if track is None:
        track = E.ensure_track(data, "music", 1, "Music")
    track["sg"] = [{"id": "music1", "s": 0, "d": total, "src": src, "m": {
        "name": "Background music", "volume": round(volume, 3), "fade_in": min(1000, total // 4),
        "fade_out": min(2000, total // 4), "loop": True}}]
    name = src.split("/", 1)[1]
    reply = say("music_set", zh, mood=mood, track=name, volume=round(volume * 100))
    genre = genre_named(match.bare, about_music=True)
    if genre:
        reply += " " + say("music_closest", zh, genre=genre)
    return Outcome("set_music", {"mood": mood, "volume": round(volume, 3), "src": src}, E.finish(data),
                   reply, f"Music: {mood}")


def _audio_target(data: E.Wire, text: str) -> str | None:
    if has(r"narrat|voice|配音|旁白|解说|人声", text):
        return "voice"
    if has(r"\b(video|original|clip|footage|camera)\b|原声|视频", text):
        return "video"
    if has(r"\b(music|bgm|song|soundtrack|audio|track)\b|音乐|配乐|音频", text):
        return "music"
    present = [k for k in ("music", "voice") if (E.music_track(data) if k == "music" else E.find_track(data, k))]
    return present[0] if len(present) == 1 else None


def volume(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome:
    """Set the volume of the music, the narration or the video's own sound."""
    data = E.to_wire(ctx.draft)
    target = _audio_target(data, match.bare)
    if target is None:
        return ask(say("volume_which", zh))
    if target == "music":  # the background music, else the first audio track (a merged upload)
        segs = (E.music_track(data) or E.find_track(data, None, 1) or {}).get("sg", [])
    elif target == "voice":
        segs = (E.find_track(data, "voice") or {}).get("sg", [])
    else:
        segs = [s for s in (E.main_video(data) or {}).get("sg", []) if str(s.get("src", "")).startswith(("upload:", "asset:"))]
    if not segs:
        return ask(say("no_audio_track", zh, track_key=target))
    scenes = scene_volume.places_named(data, match.bare) if target == "music" else None
    if scenes is not None:
        if any(scene_volume.segment_of(data, p) is None for p in scenes):
            count = len(E.scene_segments(data))
            return ask(say("scene_which", zh, count=count, names=", ".join(str(i + 1) for i in range(count)) or "—"))
        segs = scene_volume.pieces_in(data, scenes)
        if not segs:
            return ask(say("no_audio_track", zh, track_key=target))
    current = segs[0].get("m", {}).get("volume")
    current = (MUSIC_VOLUME if target == "music" else 1.0) if current is None else current
    norm = normalize(match.bare)
    asked = re.search(r"(\d+(?:\.\d+)?)\s*(?:%|percent)", norm)
    absolute = parse_percent(match.bare)
    bare_number = re.search(r"\b(?:to|at)\s+(?:like\s+|about\s+|around\s+|maybe\s+|roughly\s+)?(\d{1,3})(?![\d.%:]|\s*(?:s|secs?|seconds?|p|x|k)\b)", norm)
    if absolute is None and bare_number and 0 <= int(bare_number.group(1)) <= MAX_VOLUME * 100:
        absolute = int(bare_number.group(1)) / 100
    value = volume_change(match.bare, current, absolute)
    if value is None and asked and float(asked.group(1)) > MAX_VOLUME * 100:
        return ask(say("volume_range", zh, asked=asked.group(1), most=round(MAX_VOLUME * 100)))
    if value is None:
        if has(r"\bunmute\b|取消静音", match.bare):
            value = MUSIC_VOLUME if target == "music" else 1.0
        elif has(r"\b(mute|silence|sound off)\b|静音", match.bare):
            value = 0.0
        else:
            return ask(say("volume_which", zh))
    if value > MAX_VOLUME + 1e-9 and asked:
        return ask(say("volume_range", zh, asked=asked.group(1), most=round(MAX_VOLUME * 100)))
    value = round(min(MAX_VOLUME, max(0.0, value)), 3)
    for seg in segs:
        seg.setdefault("m", {})["volume"] = value
    if scenes is not None:
        place, place_zh = scene_volume.place_words(scenes)
        return Outcome("set_volume", {"track": target, "volume": value, "scenes": scenes}, E.finish(data),
                       say("volume_scene_set", zh, place=place, place_zh=place_zh, volume=round(value * 100)),
                       f"music volume {round(value * 100)}% in {place}")
    return Outcome("set_volume", {"track": target, "volume": value}, E.finish(data),
                   say("volume_set", zh, track_key=target, volume=round(value * 100)),
                   f"{target} volume {round(value * 100)}%")


# ---- time ----------------------------------------------------------------------------------

def set_length(data: E.Wire, ms: int, zh: bool) -> Outcome:
    """Make the whole video `ms` long: scale stills and colours, or trim clips."""
    total = E.total_ms(data)
    if ms > MAX_LENGTH_MS or ms < MIN_LENGTH_MS:
        raise E.EditError("length_limit", minutes=MAX_LENGTH_MS // 60_000, asked=seconds(ms),
                          least=seconds(MIN_LENGTH_MS))
    if E.has_video_clips(data):
        if ms > total:
            raise E.EditError("length_too_long", seconds=seconds(total), asked=seconds(ms))
        E.cut_range(data, ms, total)
        dropped: list[str] = []
    else:
        dropped = relength.drop_for_reading(data, ms) if ms < total else []
        E.scale_time(data, ms)
    draft = E.finish(data)
    reply = say("length_set", zh, seconds=seconds(draft.duration_ms))
    if dropped:  # squeezing every scene would flash its words by: the last scenes go instead
        reply += ("" if zh else " ") + say("length_dropped", zh, count=len(dropped), keys=quote_list(dropped, False),
                                           keys_zh=quote_list(dropped, True))
    return Outcome("set_length", {"duration_ms": ms, **({"dropped_scenes": len(dropped)} if dropped else {})},
                   draft, reply, f"Length {seconds(ms)} s")


def time(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome:
    """Trim, cut a range, or change the total length."""
    data = E.to_wire(ctx.draft)
    need_content(data)
    total = E.total_ms(data)
    replan = bool(re.search(relength.FROM_TEXT, message, re.IGNORECASE))
    span = None if replan else parse_time_span(match.bare)  # "re-plan it at 90 s" is a length, not a place
    low = match.bare.lower()
    cut_words = has(r"\b(cut|remove|delete|drop|skip|lose|get rid of|chop|take out|shave|knock|take)\b|剪掉|删掉|去掉|删除|剪去|不要|砍掉", low)
    keep_words = has(r"\b(keep|only|just)\b|保留|截取|只要|只留", low)
    if span and not (cut_words or keep_words or has(r"\btrim|\bshorten|修剪|裁剪|剪", low)):
        return ask(say("cut_which", zh))  # "I like the first 3 seconds" names a part, it asks nothing of it
    if span:
        a, b = span.resolve(total)
        if span.end is None and not span.from_end:
            a, b = span.start, total
        if a >= total or b <= a:
            return ask(say("range_bad", zh, start=seconds(a), end=seconds(b), seconds=seconds(total)))
        b = min(b, total)
        trim = has(r"\btrim\b|修剪|裁剪", low)
        keep = keep_words or (trim and not cut_words and a > 0 and not span.from_end)
        if keep:
            if a == 0 and b >= total:
                return ask(say("cut_which", zh))
            E.cut_range(data, b, total)
            E.cut_range(data, 0, a)
            draft = E.finish(data)
            return Outcome("keep_range", {"start_ms": a, "end_ms": b}, draft,
                           say("kept", zh, start=seconds(a), end=seconds(b), seconds=seconds(draft.duration_ms)),
                           f"Kept {seconds(a)}-{seconds(b)} s")
        if a <= 0 and b >= total:
            return ask(say("cut_all", zh))
        E.cut_range(data, a, b)
        draft = E.finish(data)
        return Outcome("cut_range", {"start_ms": a, "end_ms": b}, draft,
                       say("cut", zh, start=seconds(a), end=seconds(b), seconds=seconds(draft.duration_ms)),
                       f"Cut {seconds(a)}-{seconds(b)} s")
    asked = parse_duration_ms(match.bare)
    bare_number = re.search(r"\b(?:to|at)\s+(\d+(?:\.\d+)?)\s*[.!?]*$", match.bare.strip())
    if asked is None and bare_number and 1 <= float(bare_number.group(1)) <= 600:
        asked = round(float(bare_number.group(1)) * 1000)  # "can we get this down to 15": seconds
    ms = length_change(match.bare, total, asked)
    if asked == total and ms == asked:  # "too long, nobody watches 30s ads": the number is the reason, not the aim
        ms = length_change(match.bare, total, None) or ms
    if ms is not None and ms != asked and ms < 1000:
        return ask(say("length_too_short", zh, seconds=seconds(total)))
    if ms is None and replan:
        ms = total  # "re-plan it from the text": the same length
    if ms is None or ms <= 0:
        if has(r"\b(cut|trim)\b|剪|裁", low):
            return ask(say("cut_which", zh))
        return ask(say("length_which", zh))
    if ms == total and not replan:
        return ask(say("length_set", zh, seconds=seconds(total)))
    if MIN_LENGTH_MS <= ms <= MAX_LENGTH_MS:  # a video made from text: plan it again when other sentences fit
        replanned, note = relength.replan(ctx, data, ms, message, zh)
        if replanned is not None:
            return Outcome("set_length", {"duration_ms": ms, "replanned": True}, replanned, note,
                           f"Length {seconds(ms)} s, planned again from the text")
        if note:
            done = set_length(data, ms, zh)
            return Outcome(done.tool, done.args, done.draft, f"{done.reply}{'' if zh else ' '}{note}", done.summary)
    return set_length(data, ms, zh)


# ---- canvas, fades, transitions ------------------------------------------------------------

def fmt(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome:
    """Change the aspect ratio or resolution."""
    data = E.to_wire(ctx.draft)
    cur = (ctx.draft.m.width, ctx.draft.m.height)
    size = parse_format(match.bare, cur)
    bad = re.search(r"(?<!\d)(\d{1,6})\s*[x×*]\s*(\d{1,6})(?!\d)", normalize(match.bare))
    if size is None and bad:
        return ask(say("size_range", zh, asked=f"{bad.group(1)}x{bad.group(2)}"))
    if size is None:
        return ask(say("unclear", zh, suggestion="make it vertical (9:16), square (1:1) or 720p",
                       suggestion_zh="改成竖屏（9:16）、方形（1:1）或720p"))
    if size == cur:
        return ask(say("format_same", zh, width=size[0], height=size[1]))
    data.setdefault("m", {})["width"], data["m"]["height"] = size
    return Outcome("set_format", {"width": size[0], "height": size[1]}, E.finish(data),
                   say("format_set", zh, width=size[0], height=size[1]), f"Canvas {size[0]}x{size[1]}")


def fades(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome:
    """Add or remove fades at the start and end (of the picture and music, or the music only)."""
    data = E.to_wire(ctx.draft)
    need_content(data)
    low = match.bare.lower()
    only_music = has(r"\b(music|bgm|song|audio)\b|音乐|配乐", low)
    fin = has(r"fade[- ]?in|fades? up|淡入|渐入|渐显", low)
    fout = has(r"fade[- ]?out|fades? (away|down)|淡出|渐出|渐隐", low)
    if (not fin and not fout) or has(r"\bin\s+(?:and|&)\s+out\b", low):
        fin = fout = True
    ms = parse_duration_ms(low) or 1000
    if not 100 <= ms <= 10_000:
        return ask(say("fade_range", zh, asked=seconds(ms)))
    remove = has(REMOVE, low)
    video = sorted((E.main_video(data) or {}).get("sg", []), key=lambda s: s["s"])
    mus = (E.music_track(data) or {}).get("sg", [])
    targets: list[tuple[E.Wire, str]] = []
    if not only_music and video:
        if fin:
            targets.append((video[0], "fade_in"))
        if fout:
            targets.append((video[-1], "fade_out"))
    for seg in mus:
        if fin:
            targets.append((seg, "fade_in"))
        if fout:
            targets.append((seg, "fade_out"))
    if not targets:
        return ask(say("music_none", zh))
    if not remove:
        ms = min([ms] + [seg["d"] // 2 for seg, _ in targets])
    for seg, key in targets:
        seg.setdefault("m", {})[key] = 0 if remove else ms
    which = "fade-in and fade-out" if fin and fout else "fade-in" if fin else "fade-out"
    which_zh = "淡入淡出" if fin and fout else "淡入" if fin else "淡出"
    target = " on the music" if only_music else ""
    target_zh = "（背景音乐）" if only_music else ""
    reply = (say("fades_removed", zh, target=target, target_zh=target_zh) if remove else
             say("fades_set", zh, which=which, which_zh=which_zh, ms=ms, target=target, target_zh=target_zh))
    return Outcome("set_fades", {"fade_in": fin, "fade_out": fout, "ms": 0 if remove else ms,
                                 "target": "music" if only_music else "all"},
                   E.finish(data), reply, "Fades")


# an editor's "dissolve" is a cross-fade (xfade's own `dissolve` is random-pixel noise)
_TRANSITIONS = ((r"dissolve|溶解|cross ?-?fade|交叉淡化", "fade"), (r"wipe ?right|向右擦", "wiperight"), (r"wipe|擦除", "wipeleft"),
                (r"slide ?right|向右滑", "slideright"), (r"slide|滑动|推入", "slideleft"),
                (r"black|黑场|闪黑", "fadeblack"), (r"white|白场|闪白", "fadewhite"),
                (r"circle|圆形", "circleopen"), (r"smooth ?right", "smoothright"), (r"smooth|平滑", "smoothleft"))


def transitions(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome:
    """Set or remove the transition between scenes."""
    data = E.to_wire(ctx.draft)
    need_content(data)
    low = match.bare.lower()
    video = sorted((E.main_video(data) or {}).get("sg", []), key=lambda s: s["s"])
    if len(video) < 2:
        return ask(say("need_scenes", zh))
    remove = has(r"\b(remove|no|without|none|hard cuts?|straight cuts?|disable|delete)\b|去掉|不要|删除|取消|直接切", low)
    name = next((n for p, n in _TRANSITIONS if has(p, low)), "fade")
    ms = parse_duration_ms(low) or 500
    if not 100 <= ms <= 3_000:
        return ask(say("transition_range", zh, asked=seconds(ms)))
    ms = min(ms, min(seg["d"] // 2 for seg in video))
    for seg in video[1:]:
        m = seg.setdefault("m", {})
        if remove:
            m.pop("transition", None)
            m.pop("transition_ms", None)
        else:
            m["transition"], m["transition_ms"] = name, min(ms, seg["d"] // 2)
    reply = say("transitions_removed", zh) if remove else say(
        "transitions_set", zh, name="cross-fade" if name == "fade" else name, name_zh="交叉淡化" if name == "fade" else name, ms=ms)
    return Outcome("set_transitions", {"transition": None if remove else name, "ms": 0 if remove else ms},
                   E.finish(data), reply, "Transitions")
