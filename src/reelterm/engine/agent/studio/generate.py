"""The generation tool: find the text, plan the video, add music (and narration), charge, commit."""

from __future__ import annotations

import math
import re

from reelterm.engine.agent.base import TurnContext
from reelterm.engine.agent.studio import relength, visual_edits, voice, voiceplan
from reelterm.engine.agent.studio.describe import Described, described_video
from reelterm.engine.agent.studio.files import asks_for_file
from reelterm.engine.agent.studio.intents import (
    _PROMO,
    RuleMatch,
    after_colon,
    quoted_text,
    topic_text,
)
from reelterm.engine.agent.studio.replies import quote_list, say, seconds
from reelterm.engine.agent.studio.rules import classify
from reelterm.engine.agent.studio.source import (
    clean_markup,
    link_instead_of_text,
    only_links,
    split_source,
    with_subject,
)
from reelterm.engine.agent.studio.style import caption_mode
from reelterm.engine.agent.studio.tools import Outcome, ask
from reelterm.engine.planner.formats import parse_export, parse_format
from reelterm.engine.planner.moods import choose_music, genre_named, mood_from_text
from reelterm.engine.planner.numbers import normalize, parse_duration_ms, parse_percent
from reelterm.engine.planner.ranges import without_canvas_size
from reelterm.engine.planner.scene_media import Visual
from reelterm.engine.planner.sentences import is_cjk
from reelterm.engine.planner.storyboard import MUSIC_VOLUME, make_storyboard, storyboard_to_draft
from reelterm.protocol import Draft, TrackType, validate_local_draft

CREDITS_PER_10_S = 1
"""Credits a generation costs per started 10 seconds of video."""
NARRATION_CREDITS = 2
"""Extra credits for narration."""
MIN_VIDEO_MS = 3_000
"""The shortest video a generation makes (a title card, one scene and an end card)."""
MAX_VIDEO_MS = 30 * 60_000
"""The longest video a generation makes."""

_NO_MUSIC = r"\b(no|without) (music|soundtrack|bgm)\b|不要音乐|不要配乐|无音乐|没有音乐|不加音乐"
_VOICE = r"voice[- ]?over|narrat|\bvoice\b|read (it )?aloud|配音|旁白|解说|朗读"


def find_text(ctx: TurnContext, message: str) -> str | None:
    """The text to turn into a video: quoted or after a colon, else the last uploaded text,
    else the previous user message; None when there is none."""
    quoted = quoted_text(message)
    described = described_video(message)
    if described is not None and described.title and (not quoted or quoted == described.title):
        return described.text()  # "… with the title “Urban Dreams”": the title is a heading, not the text
    if quoted and len(quoted) >= 12:
        return quoted
    colon = after_colon(message)
    if colon:
        return colon
    topic = topic_text(message)
    if topic:
        return topic
    if described is not None and not _text_uploaded(ctx):
        return described.text()  # "a 15 second video of ocean waves at sunset with calm music"
    for up in reversed(ctx.uploads):
        if up.kind == "text" and up.text and up.text.strip():
            return up.text.strip()
    for prev in reversed(ctx.history):
        prev = prev.strip()
        if prev and prev != message.strip() and len(prev) >= 12:
            # a command ("make it vertical") is not content; a long message always is
            if len(prev) > 80 or classify(prev, has_draft=True).name in ("unknown", "vague", "caption"):
                return prev
            return None
    return None


def _closing(described: Described | None, text: str, bare: str, zh: bool) -> str:
    """The end card of a described video that sells nothing ("a city timelapse"): a thank-you, not "Get X today"."""
    if described is None or described.text() != text or re.search(_PROMO, bare, re.IGNORECASE):
        return ""
    return "感谢观看" if zh or is_cjk(text) else "Thanks for watching"


def _text_uploaded(ctx: TurnContext) -> bool:
    return any(up.kind == "text" and (up.text or "").strip() for up in ctx.uploads)


def generate(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> list[Outcome]:
    """Text -> storyboard -> draft, committed as one `generate_video` step."""
    message = clean_markup(message)  # pasted markdown and numbered lists: one sentence a line
    described = described_video(message)
    source = split_source(message)
    if described is not None and described.title and not ctx.draft.ready and not _text_uploaded(ctx):
        source = None  # '20 second video: "Fresh Start" title, spring flowers': a description, not a script
    text = source.text if source is not None else find_text(ctx, message)
    if source is not None and text and not source.labelled:
        text = with_subject(text, source.instruction)
    if only_links(text or "") or (not text and re.search(r"https?://|\bwww\.", message)) or (
            text and link_instead_of_text(message, text)):
        return [ask(say("need_text_not_url", zh))]  # nothing is downloaded: the words must be pasted
    text = clean_markup(without_canvas_size(text or ""))  # "… in 320x180" is a setting, never words on screen
    if not text:
        return [ask(say("need_text", zh))]
    # the asked length, canvas, music… live in the instruction, never in the text to film
    bare = source.instruction if source is not None else match.bare
    if described is not None and described.title:  # "titled Kitchen Stories" asks for no Stories format
        bare = bare.replace(described.title, " ")
    # the asked length lives in the instruction, not in the text: read it without the text
    duration = parse_duration_ms(bare)
    if duration is not None and not MIN_VIDEO_MS <= duration <= MAX_VIDEO_MS:
        return [ask(say("generate_length_range", zh, asked=seconds(duration), low=seconds(MIN_VIDEO_MS),
                        minutes=MAX_VIDEO_MS // 60_000))]
    width, height = parse_format(bare, (1920, 1080)) or (1920, 1080)
    mood = mood_from_text(bare)
    notes: list[str] = []
    volume = parse_percent(bare) if re.search(r"%|percent|百分之|volume|音量", normalize(bare)) else None
    asked = re.search(r"(\d+(?:\.\d+)?)\s*(?:%|percent)", normalize(bare))
    if volume is None and asked and float(asked.group(1)) > 200:
        volume = 2.0
        notes.append(say("volume_clamped", zh, asked=asked.group(1), most=200))
    volume = MUSIC_VOLUME if volume is None else volume
    with_music = not re.search(_NO_MUSIC, bare, re.IGNORECASE)
    want_voice = bool(re.search(_VOICE, bare, re.IGNORECASE))
    visuals = [Visual(u.src, u.kind, u.duration_ms, u.filename) for u in ctx.uploads if u.kind in ("image", "video")]
    try:
        sb = make_storyboard(text, duration_ms=duration, mood=mood, visuals=visuals,
                             closing=_closing(described, text, bare, zh))
    except ValueError:
        return [ask(say("need_text", zh))]
    voice_refs: list[tuple[int, str, int]] = []
    vp = None
    if want_voice:  # narration drives the timing: studio/voiceplan.py
        if not voice.available():
            notes.append(say("voice_missing", zh))
        elif voice.voice_for(text) is None or sb.zh or is_cjk(text):
            notes.append(say("voice_english_only", zh))
        else:
            try:
                vp = voiceplan.plan(ctx, text, duration=duration, mood=mood, visuals=visuals, zh=zh,
                                    fit=voiceplan.wants_fit(bare))
                sb, voice_refs = vp.sb, voiceplan.refs(vp)
            except voice.VoiceError as exc:
                notes.append(say("voice_failed", zh, error=str(exc)))
    music = choose_music(sb.mood, text) if with_music else None
    draft = storyboard_to_draft(sb, width=width, height=height, music=music, music_volume=volume,
                                voice=voice_refs)
    if vp is not None and voice_refs:
        draft = voiceplan.finish(draft, vp)
    notes += vp.notes if vp is not None else []
    if visual_edits.wants_no_pictures(bare):  # "… without icons": the words alone over the backgrounds
        data, _, _ = visual_edits.no_pictures(draft.wire(), bare, strict=False)
        draft = Draft.model_validate(data)
    style = caption_mode(bare)
    if style is not None:  # "with karaoke captions" / "plain subtitles" asked with the video
        draft = draft.model_copy(update={"m": draft.m.model_copy(update={"captions": style})})
    draft = relength.remember(draft, text, _closing(described, text, bare, zh), sb)
    validate_local_draft(draft)
    cost = CREDITS_PER_10_S * math.ceil(draft.duration_ms / 10_000) + (NARRATION_CREDITS if voice_refs else 0)
    ctx.charge(cost)
    body_count = sum(1 for s in sb.scenes if s.kind == "scene")
    keys = [s.keys[0] for s in sb.scenes if s.kind == "scene" and s.keys]
    parts = [say("generated", zh, seconds=seconds(draft.duration_ms), title=sb.title, scenes=body_count,
                 cta=sb.scenes[-1].keys[0], width=width, height=height, keys=quote_list(keys, False),
                 keys_zh=quote_list(keys, True), tagline=f" with “{sb.tagline}”" if sb.tagline else "",
                 tagline_zh=f"配标语“{sb.tagline}”" if sb.tagline else "")]
    if sb.default_length:
        parts.append(say("default_length", zh, seconds=seconds(draft.duration_ms)))
    if music:
        vol = round((draft.tracks_of(TrackType.AUDIO)[0].sg[0].m.volume or volume) * 100)
        parts.append(say("music_added", zh, mood=sb.mood, track=music.split("/", 1)[1], volume=vol))
        genre = genre_named(bare)
        if genre:
            parts.append(say("music_closest", zh, genre=genre))
    used = min(len(visuals), body_count)
    srcs = [seg.src or "" for t in draft.t if t.id == "pictures" for seg in t.sg]
    icons, shapes = sum(s.startswith("icon:") for s in srcs), sum(s.startswith("motif:") for s in srcs)
    en = " and ".join(x for x in (f"{icons} matching picture{'s' if icons != 1 else ''}" if icons else "",
                                   f"{shapes} abstract shape{'s' if shapes != 1 else ''}" if shapes else "") if x)
    cn = "、".join(x for x in (f"{icons}张配图" if icons else "", f"{shapes}个抽象图形" if shapes else "") if x)
    parts.append(say("visuals_used", zh, count=used) if used else say(
        "gradients_used", zh, pictures=en or "its words", pictures_zh=cn or "文字"))
    if sb.sentences_used < sb.sentences_total and not voice_refs:  # else the voice plan's notes name them
        need_ms = max(sb.reading_ms * 1.15, sb.sentences_total * 2_200) + 6_000  # reading time, 2 s a scene, cards
        need = min(MAX_VIDEO_MS // 1000, 5 * math.ceil(need_ms / 5_000))
        parts.append(say("sentences_dropped", zh, total=sb.sentences_total, used=sb.sentences_used, need=need,
                         seconds=seconds(draft.duration_ms)))
    if voice_refs:
        parts.append(say("voice_added", zh, count=len(voice_refs),
                         volume=round((draft.tracks_of(TrackType.AUDIO)[0].sg[0].m.volume or 0) * 100)))
    parts += notes
    delta = {}
    if asks_for_file(bare):
        delta["export_requested"] = parse_export(bare)
        parts.append(say("export_started", zh, **delta["export_requested"]))
    if ctx.credits_left is not None:  # an engine that counts credits says what this cost
        parts.append(say("credits_used", zh, credits=cost))
    args = {"text_chars": len(text), "duration_ms": draft.duration_ms, "width": width, "height": height,
            "mood": sb.mood, "music": music, "narration": bool(voice_refs)}
    return [Outcome("generate_video", args, draft, ("" if zh else " ").join(parts),
                    f"Generated a {seconds(draft.duration_ms)}-second video", delta)]
