"""The studio agent's LLM turn: tool specs for the model, and its validated calls applied as edits.

Each call is mapped onto the rule parser's own tools (the same functions, the same `Outcome`s,
the same draft validation), so a model's edit and a typed edit cannot differ. All calls of one
answer are applied in order and committed as one version: one undo reverts them all.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from reelterm.engine.agent.base import TurnContext
from reelterm.engine.agent.llm import Fallback, LlmSettings, ToolCall, ToolSpec, plan_with_llm
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio import files, texts, tools
from reelterm.engine.agent.studio.generate import find_text, generate
from reelterm.engine.agent.studio.intents import Intent, classify
from reelterm.engine.agent.studio.replies import say, seconds
from reelterm.engine.planner.formats import AUDIO_FORMATS, EXPORT_FORMATS
from reelterm.engine.planner.moods import MOODS, mood_of
from reelterm.media.formats import QUALITIES
from reelterm.protocol import Draft

_ASPECTS = {"16:9": "landscape", "9:16": "vertical", "1:1": "square", "4:5": "4:5", "3:4": "3:4", "4:3": "4:3"}
_SECONDS = {"type": "number", "minimum": 0, "maximum": 1800}


def _obj(props: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": list(required), "additionalProperties": False}


TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec("make_video", "Make a new video from a text (a product description, a script). Omit `text` to use "
             "the text the user quoted, put after a colon, uploaded, or sent in the previous message.",
             _obj({"text": {"type": "string", "minLength": 1, "maxLength": 20000},
                   "seconds": {"type": "number", "minimum": 3, "maximum": 600},
                   "aspect": {"type": "string", "enum": list(_ASPECTS),
                              "description": "9:16 for vertical/TikTok/Reels/Shorts, 1:1 square"},
                   "mood": {"type": "string", "enum": list(MOODS)},
                   "music": {"type": "boolean", "description": "false: no music"}})),
    ToolSpec("set_length", "Make the whole video this many seconds long.",
             _obj({"seconds": {"type": "number", "minimum": 1, "maximum": 1800}}, ("seconds",))),
    ToolSpec("cut_range", "Cut the part from start to end (seconds) out of the video.",
             _obj({"start": _SECONDS, "end": _SECONDS}, ("start", "end"))),
    ToolSpec("set_canvas", "Change the aspect ratio and/or the resolution (short side in pixels).",
             _obj({"aspect": {"type": "string", "enum": list(_ASPECTS)},
                   "resolution": {"type": "integer", "enum": [480, 720, 1080, 1440, 2160]}})),
    ToolSpec("set_music", "Add or replace the background music with a track of this mood.",
             _obj({"mood": {"type": "string", "enum": list(MOODS)},
                   "volume_percent": {"type": "number", "minimum": 0, "maximum": 200}}, ("mood",))),
    ToolSpec("remove_music", "Remove the background music.", _obj({})),
    ToolSpec("set_volume", "Set the volume of the music, the narration (voice) or the video's own sound.",
             _obj({"track": {"type": "string", "enum": ["music", "voice", "video"]},
                   "percent": {"type": "number", "minimum": 0, "maximum": 200}}, ("track", "percent"))),
    ToolSpec("add_text", "Show a title (big, centred) or a caption (bottom) from start to end seconds.",
             _obj({"text": {"type": "string", "minLength": 1, "maxLength": 300},
                   "style": {"type": "string", "enum": ["title", "caption"]},
                   "start": _SECONDS, "end": _SECONDS}, ("text", "style"))),
    ToolSpec("set_title", "Change the words of the video's title.",
             _obj({"text": {"type": "string", "minLength": 1, "maxLength": 300}}, ("text",))),
    ToolSpec("export", "Render the video to a file of this format.",
             _obj({"format": {"type": "string", "enum": list(EXPORT_FORMATS)},
                   "quality": {"type": "string", "enum": list(QUALITIES)}}, ("format",))),
)
"""The tools the model sees (a subset of the rule parser's edits, each with a JSON schema)."""

_KEY_REQUEST = re.compile(r"\s*(?:delete|move|trim|extend|split|set the (?:text|volume) of)\s+(?:segment|scene)\b",
                          re.IGNORECASE)
"""The app's timeline-key requests: exact commands, for the rule parser alone."""


def skip_model(message: str) -> bool:
    """True for messages the rule parser handles exactly: empty, undo/redo, the app's key requests."""
    if _KEY_REQUEST.match(message):
        return True
    return classify(message, has_draft=True).name in ("empty", "undo", "redo")


def summary(draft: Draft) -> str:
    """The draft in a few lines for the model: size, length, scenes, music, texts."""
    if not draft.ready:
        return "(empty: nothing on the timeline yet)"
    data = E.to_wire(draft)
    lines = [f"Title: {draft.m.title}", f"Canvas: {draft.m.width}x{draft.m.height}; "
             f"length {seconds(draft.duration_ms)} s"]
    scenes = E.scene_segments(data)
    if scenes:
        lines.append(f"Scenes ({len(scenes)}): " + "; ".join(
            f"{i + 1} {seconds(s['s'])}–{seconds(s['s'] + s['d'])} s" for i, s in enumerate(scenes[:20])))
    music = E.music_track(data)
    if music and music.get("sg"):
        seg = music["sg"][0]
        vol = seg.get("m", {}).get("volume")
        lines.append(f"Music: {mood_of(seg.get('src')) or 'a track'}"
                     + (f" at {round(vol * 100)}%" if vol is not None else ""))
    else:
        lines.append("Music: none")
    if E.find_track(data, "voice"):
        lines.append("Narration: yes")
    shown = [s for t in data["t"] if t.get("tt") == 7 for s in t.get("sg", [])]
    for seg in sorted(shown, key=lambda s: s["s"])[:24]:
        words = " ".join(str(seg.get("m", {}).get("text", "")).split())[:60]
        lines.append(f"{seg.get('m', {}).get('style') or 'caption'} “{words}” "
                     f"{seconds(seg['s'])}–{seconds(seg['s'] + seg['d'])} s")
    return "\n".join(lines)[:4000]


# ---- applying one call ---------------------------------------------------------------------

Apply = Callable[[TurnContext, dict[str, Any], str, bool], list[tools.Outcome]]


def _num(value: float) -> str:
    return f"{round(value, 3):g}"


def _quoted(text: str) -> str | None:
    """`text` inside a pair of quotes it does not contain, so the rule parser reads it whole."""
    for left, right in (("“", "”"), ("「", "」"), ("『", "』"), ('"', '"')):
        if right not in text and left not in text:
            return f"{left}{text}{right}"
    return None


def _make_video(ctx: TurnContext, args: dict[str, Any], message: str, zh: bool) -> list[tools.Outcome]:
    words = ["make a"]
    if "seconds" in args:
        words.append(f"{_num(args['seconds'])}-second")
    if "aspect" in args:
        words.append(_ASPECTS[args["aspect"]])
    words.append("video")
    if args.get("music") is False:
        words.append("without music")
    elif "mood" in args:
        words.append(f"with {args['mood']} music")
    instruction = " ".join(words)
    text = args.get("text") or find_text(ctx, message)
    if not text:
        return [tools.ask(say("need_text", zh))]
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    body = _quoted(text) if len(text) >= 12 else None
    return generate(ctx, Intent("generate", instruction, None), f"{instruction}: {body or text}", zh)


def _set_length(ctx: TurnContext, args: dict[str, Any], message: str, zh: bool) -> list[tools.Outcome]:
    data = E.to_wire(ctx.draft)
    tools.need_content(data)
    ms = round(args["seconds"] * 1000)
    if ms <= 0:
        return [tools.ask(say("length_which", zh))]
    if ms == E.total_ms(data):
        return [tools.ask(say("length_set", zh, seconds=seconds(ms)))]
    return [tools.set_length(data, ms, zh)]


def _via(name: str, bare: str, ctx: TurnContext, zh: bool, quoted: str | None = None) -> list[tools.Outcome]:
    """Run the rule parser's handler for `name` on a canonical request `bare`."""
    intent = Intent(name, bare, quoted)
    handler: Callable[..., Any] = {"time": tools.time, "format": tools.fmt, "music": tools.music,
                                   "volume": tools.volume}[name]
    result = handler(ctx, intent, bare, zh)
    return result if isinstance(result, list) else [result]


def _text(ctx: TurnContext, args: dict[str, Any], zh: bool, style: str, bare: str) -> list[tools.Outcome]:
    words = args["text"].strip()
    if not words:
        return [tools.ask(say("text_which", zh, style=style))]
    return [texts.text(ctx, Intent(style, bare, words), bare, zh, style)]


def _add_text(ctx: TurnContext, args: dict[str, Any], message: str, zh: bool) -> list[tools.Outcome]:
    bare = f"add a {args['style']} «q»"
    if "start" in args and "end" in args:
        bare += f" from {_num(args['start'])} to {_num(args['end'])} seconds"
    elif "start" in args:
        bare += f" at {_num(args['start'])} seconds"
    return _text(ctx, args, zh, args["style"], bare)


def _export(ctx: TurnContext, args: dict[str, Any], message: str, zh: bool) -> list[tools.Outcome]:
    request = {"format": args["format"], "quality": args.get("quality", "high")}
    out = files.export(ctx, Intent("export", f"export {request['format']}", None),
                       f"export {request['format']}", zh)
    last = out[-1]
    if last.tool == "export":
        reply = say("audio_only", zh, format=request["format"]) if request["format"] in AUDIO_FORMATS else ""
        last.args = dict(request)
        last.delta = {"export_requested": dict(request)}
        last.reply = (reply + " " + say("export_started", zh, **request)).strip()
    return out


APPLY: dict[str, Apply] = {
    "make_video": _make_video,
    "set_length": _set_length,
    "cut_range": lambda c, a, m, z: _via("time", f"cut from {_num(a['start'])} to {_num(a['end'])} seconds", c, z),
    "set_canvas": lambda c, a, m, z: _via("format", " ".join(
        x for x in (a.get("aspect", ""), f"{a['resolution']}p" if "resolution" in a else "") if x), c, z),
    "set_music": lambda c, a, m, z: _via("music", f"use {a['mood']} music" + (
        f" at {_num(a['volume_percent'])}%" if "volume_percent" in a else ""), c, z),
    "remove_music": lambda c, a, m, z: _via("music", "remove the music", c, z),
    "set_volume": lambda c, a, m, z: _via("volume", "set the {} volume to {}%".format(
        {"music": "music", "voice": "narration", "video": "original video"}[a["track"]], _num(a["percent"])), c, z),
    "add_text": _add_text,
    "set_title": lambda c, a, m, z: _text(c, a, z, "title", "change the title to «q»"),
    "export": _export,
}


def apply_calls(ctx: TurnContext, calls: list[ToolCall], message: str, zh: bool) -> list[tools.Outcome]:
    """Apply the calls in order, each on the draft the previous one left; one commit at the end.

    Raises `EditError`/`DraftError` like the rule parser's tools (then nothing is committed).
    """
    outcomes: list[tools.Outcome] = []
    turn = ctx
    for call in calls:
        for out in APPLY[call.name](turn, call.arguments, message, zh):
            outcomes.append(out)
            if out.draft is not None:
                turn = dataclasses.replace(turn, draft=out.draft)
    changed = [o for o in outcomes if o.draft is not None]
    if len(changed) > 1:
        last = changed[-1]
        last.summary = "; ".join(o.summary or o.tool or "" for o in changed)[:200]
        for out in changed[:-1]:
            out.draft = None
    return outcomes


def outcomes(settings: LlmSettings, ctx: TurnContext, message: str, zh: bool,
             rules: Callable[[TurnContext, str, bool], list[tools.Outcome]]) -> list[tools.Outcome]:
    """The model's edits; when it cannot be used, the rule parser's (`rules`) after a one-line notice."""
    if skip_model(message):
        return rules(ctx, message, zh)
    plan = plan_with_llm(settings, message, summary(ctx.draft), TOOLS, ctx.history)
    if not isinstance(plan, Fallback):
        return apply_calls(ctx, plan.calls, message, zh)
    notice = tools.ask(plan.notice_zh if zh else plan.notice)
    try:
        return [notice, *rules(ctx, message, zh)]
    except E.EditError as exc:
        return [notice, tools.ask(say(exc.key, zh, **exc.params))]
