"""The agent's operations as tool specs (name, description, JSON schema), for a model that calls tools.

`tool_specs()` lists them; `to_message(name, arguments)` validates a call against its schema and turns
it into the canonical request the rule parser reads ("set the music volume to 20%"), so a model's
call is applied exactly as the same words typed by a user would be (`StudioAgent.respond_calls`).
An unknown tool or bad arguments give a sentence instead, and change nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reelterm.engine.planner.moods import MOODS
from reelterm.protocol.formats import EXPORT_FORMATS, EXPORT_QUALITIES

Args = dict[str, Any]


@dataclass(frozen=True)
class Tool:
    """One operation: its name, what it does, the JSON schema of its arguments, and its words."""

    name: str
    description: str
    properties: dict[str, dict[str, Any]]
    phrase: Callable[[Args], str]
    required: tuple[str, ...] = ()

    def spec(self) -> dict[str, Any]:
        """`{"name", "description", "parameters"}` with a JSON schema (object, no extra keys)."""
        return {"name": self.name, "description": self.description, "parameters": {
            "type": "object", "properties": self.properties, "required": list(self.required),
            "additionalProperties": False}}


def _in_scene(a: dict[str, Any]) -> str:
    return f" in scene {a['scene']}" if a.get("scene") and a.get("track") == "music" else ""


def _int(lo: int, hi: int, what: str) -> dict[str, Any]:
    return {"type": "integer", "minimum": lo, "maximum": hi, "description": what}


def _num(lo: float, hi: float, what: str) -> dict[str, Any]:
    return {"type": "number", "minimum": lo, "maximum": hi, "description": what}


def _enum(values: tuple[str, ...] | list[str], what: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values), "description": what}


def _str(what: str, most: int = 2000, least: int = 1) -> dict[str, Any]:
    return {"type": "string", "minLength": least, "maxLength": most, "description": what}


def _bool(what: str) -> dict[str, Any]:
    return {"type": "boolean", "description": what}


def _n(value: float) -> str:
    return f"{value:g}"


def _quote(text: str) -> str:
    for left, right in (("“", "”"), ("「", "」"), ('"', '"'), ("『", "』")):
        if left not in text and right not in text:
            return f"{left}{text}{right}"
    raise ValueError("the text uses every kind of quotation mark")


def _generate(a: Args) -> str:
    words = ["make a"]
    if "duration_s" in a:
        words.append(f"{_n(a['duration_s'])}-second")
    words += [a.get("aspect", ""), a.get("resolution", ""), "video"]
    if a.get("music") is False:
        words.append("without music")
    elif "mood" in a:
        words.append(f"with {a['mood']} music")
    if a.get("voiceover"):
        words.append("with a voiceover")
    if "export_format" in a:
        words.append(f"and export it as {a['export_format']}")
    head = " ".join(w for w in words if w)
    return f"{head}: {a['text']}" if a.get("text") else f"{head} from this text"


_TEXT_STYLES = ("title", "caption", "lower_third")
_STYLE_WORDS = {"title": "title", "caption": "caption", "lower_third": "lower third"}
_TRACKS = {"music": "music", "voice": "narration", "video": "video sound"}
_TRANSITIONS = ("fade", "dissolve", "wipeleft", "wiperight", "slideleft", "slideright", "fadeblack", "fadewhite",
                "circleopen", "smoothleft", "smoothright")
_TRANSITION_WORDS = {"wipeleft": "wipe", "wiperight": "wipe right", "slideleft": "slide left", "slideright": "slide right",
                     "fadeblack": "black", "fadewhite": "white", "circleopen": "circle", "smoothleft": "smooth",
                     "smoothright": "smooth right"}
_SEG = _str("a segment id of the draft", 64)


def _fades(a: Args) -> str:
    if a.get("remove"):
        return "remove the fades on the music" if a.get("music_only") else "remove the fades"
    fin, fout = a.get("fade_in", True), a.get("fade_out", True)
    which = "fade in and fade out" if fin and fout else "fade in" if fin else "fade out"
    target = " the music" if a.get("music_only") else ""
    return f"add a {which}{' on' + target if target else ''} over {_n(a.get('seconds', 1))} seconds"


def _move_scene(a: Args) -> str:
    to = a["to"]
    if to in ("earlier", "later"):
        return f"move scene {a['scene']} {to}"
    return f"move scene {a['scene']} to the {'start' if to == 'start' else 'end'}"


TOOLS: tuple[Tool, ...] = (
    Tool("generate_video", "Make a new video from text (or from the uploaded text file when `text` is left out).",
         {"text": _str("the words to film", 20_000, 12), "duration_s": _num(1, 1800, "length in seconds"),
          "aspect": _enum(("16:9", "9:16", "1:1", "4:5"), "canvas shape"),
          "resolution": _enum(("480p", "720p", "1080p", "4k"), "canvas size"),
          "mood": _enum(MOODS, "music mood"), "music": _bool("false: no music"),
          "voiceover": _bool("add narration"), "export_format": _enum(EXPORT_FORMATS, "also export to this format")},
         _generate),
    Tool("set_music", "Add or replace the background music with a track of a mood.",
         {"mood": _enum(MOODS, "music mood"), "volume_percent": _num(0, 200, "volume, 35 is the default")},
         lambda a: f"use {a['mood']} music" + (f" at {_n(a['volume_percent'])}%" if "volume_percent" in a else ""),
         ("mood",)),
    Tool("remove_music", "Remove the background music.", {}, lambda a: "remove the music"),
    Tool("set_volume", "Set the volume of the music, the narration or the video's own sound "
         "(the music: in one scene only when `scene` is given).",
         {"track": _enum(tuple(_TRACKS), "which sound"), "percent": _num(0, 200, "volume in percent"),
          "scene": _int(1, 99, "only inside this scene (music)")},
         lambda a: f"set the {_TRACKS[a['track']]} volume to {_n(a['percent'])}%" + _in_scene(a), ("track", "percent")),
    Tool("change_volume", "Make a sound louder or quieter by a step (the music: in one scene only when `scene` is given).",
         {"track": _enum(tuple(_TRACKS), "which sound"), "direction": _enum(("louder", "quieter"), "which way"),
          "amount": _enum(("a bit", "normal", "much"), "how much"), "scene": _int(1, 99, "only inside this scene (music)")},
         lambda a: f"make the {_TRACKS[a['track']]} "
                   f"{'' if a.get('amount', 'normal') == 'normal' else a['amount'] + ' '}{a['direction']}" + _in_scene(a),
         ("track", "direction")),
    Tool("set_length", "Make the whole video this long.", {"seconds": _num(1, 1800, "new length")},
         lambda a: f"make it {_n(a['seconds'])} seconds long", ("seconds",)),
    Tool("cut_range", "Cut a time range out of the video.",
         {"start_s": _num(0, 1800, "from"), "end_s": _num(0, 1800, "to")},
         lambda a: f"cut from {_n(a['start_s'])} to {_n(a['end_s'])} seconds", ("start_s", "end_s")),
    Tool("keep_range", "Keep only a time range of the video.",
         {"start_s": _num(0, 1800, "from"), "end_s": _num(0, 1800, "to")},
         lambda a: f"keep only from {_n(a['start_s'])} to {_n(a['end_s'])} seconds", ("start_s", "end_s")),
    Tool("add_text", "Add a title, caption or lower third, optionally at a time range.",
         {"style": _enum(_TEXT_STYLES, "kind of text"), "text": _str("the words", 500),
          "start_s": _num(0, 1800, "from"), "end_s": _num(0, 1800, "to")},
         lambda a: f"add a {_STYLE_WORDS[a['style']]} {_quote(a['text'])}"
                   + (f" from {_n(a['start_s'])} to {_n(a['end_s'])} seconds" if "start_s" in a and "end_s" in a
                      else f" at {_n(a['start_s'])} seconds" if "start_s" in a else ""), ("style", "text")),
    Tool("edit_text", "Change the words of the title or of caption N.",
         {"style": _enum(("title", "caption"), "which text"), "index": _int(1, 999, "caption number"),
          "text": _str("the new words", 500)},
         lambda a: (f"change caption {a['index']} to {_quote(a['text'])}" if a["style"] == "caption" and "index" in a
                    else f"change the {a['style']} to {_quote(a['text'])}"), ("style", "text")),
    Tool("remove_text", "Remove the title, or all captions.", {"style": _enum(("title", "caption"), "which text")},
         lambda a: "remove the title" if a["style"] == "title" else "remove all captions", ("style",)),
    Tool("swap_scenes", "Swap two scenes (numbered from 1, cards left out).",
         {"a": _int(1, 99, "scene"), "b": _int(1, 99, "other scene")}, lambda a: f"swap scenes {a['a']} and {a['b']}",
         ("a", "b")),
    Tool("move_scene", "Move a scene to the start, the end, or one place earlier or later.",
         {"scene": _int(1, 99, "scene"), "to": _enum(("start", "end", "earlier", "later"), "where")},
         _move_scene, ("scene", "to")),
    Tool("remove_scene", "Remove a scene and what lies inside it.", {"scene": _int(1, 99, "scene")},
         lambda a: f"remove scene {a['scene']}", ("scene",)),
    Tool("reverse_scenes", "Put the scenes in reverse order.", {}, lambda a: "reverse the scenes"),
    Tool("set_format", "Change the canvas shape and/or size.",
         {"aspect": _enum(("16:9", "9:16", "1:1", "4:5"), "shape"),
          "resolution": _enum(("480p", "720p", "1080p", "4k"), "size")},
         lambda a: f"make it {a.get('aspect', '')} {a.get('resolution', '')}".strip()),
    Tool("set_fades", "Add or remove a fade in/out of the picture and music, or of the music only.",
         {"fade_in": _bool("fade in"), "fade_out": _bool("fade out"), "seconds": _num(0.1, 10, "fade length"),
          "music_only": _bool("only the music"), "remove": _bool("remove the fades")}, _fades),
    Tool("set_transitions", "Set the transition between scenes, or none.",
         {"transition": _enum((*_TRANSITIONS, "none"), "kind"), "seconds": _num(0.1, 3, "length")},
         lambda a: "no transitions" if a["transition"] == "none" else
         f"use {_TRANSITION_WORDS.get(a['transition'], a['transition'])} transitions"
         + (f" of {_n(a['seconds'])} seconds" if "seconds" in a else ""), ("transition",)),
    Tool("set_narration", "Add or remove the voiceover.", {"on": _bool("true: add it")},
         lambda a: "add a voiceover" if a["on"] else "remove the narration", ("on",)),
    Tool("set_caption_style", "Captions word by word (karaoke) or plain.",
         {"style": _enum(("words", "plain"), "caption style")},
         lambda a: "word by word captions" if a["style"] == "words" else "plain captions", ("style",)),
    Tool("set_voice_speed", "Set how fast the narration reads (1 is natural).",
         {"speed": _num(0.7, 1.4, "speed factor")}, lambda a: f"voice speed {_n(a['speed'])}", ("speed",)),
    Tool("export", "Write the video to a file.",
         {"format": _enum(EXPORT_FORMATS, "file format"), "quality": _enum(EXPORT_QUALITIES, "quality")},
         lambda a: f"export as {a.get('format', 'mp4')} in {a.get('quality', 'high')} quality"),
    Tool("merge_media", "Put the uploaded video and audio together.",
         {"policy": _enum(("video", "shortest", "loop"), "which length wins")},
         lambda a: "merge the audio and video" + {"shortest": ", use the shortest", "loop": " and loop the audio"}
         .get(a.get("policy", "video"), "")),
    Tool("delete_segment", "Delete one segment.", {"segment": _SEG}, lambda a: f"delete segment {a['segment']}",
         ("segment",)),
    Tool("move_segment", "Move one segment later (positive) or earlier (negative) by some seconds.",
         {"segment": _SEG, "seconds": _num(-3600, 3600, "shift")},
         lambda a: f"move segment {a['segment']} {'later' if a['seconds'] > 0 else 'earlier'} by {_n(abs(a['seconds']))}s",
         ("segment", "seconds")),
    Tool("trim_segment", "Shorten (positive) or lengthen (negative) one segment at its start or end.",
         {"segment": _SEG, "edge": _enum(("start", "end"), "which edge"), "seconds": _num(-3600, 3600, "amount")},
         lambda a: f"{'trim' if a['seconds'] > 0 else 'extend'} the {a['edge']} of segment {a['segment']} by "
                   f"{_n(abs(a['seconds']))}s", ("segment", "edge", "seconds")),
    Tool("split_segment", "Split one segment in two at a time.", {"segment": _SEG, "at_s": _num(0, 3600, "time")},
         lambda a: f"split segment {a['segment']} at {_n(a['at_s'])}s", ("segment", "at_s")),
    Tool("set_segment_text", "Change the words of one text segment.",
         {"segment": _SEG, "text": _str("the new words", 2000)},
         lambda a: f"set the text of segment {a['segment']} to: {a['text']}", ("segment", "text")),
    Tool("set_segment_volume", "Set the volume of one segment.",
         {"segment": _SEG, "percent": _num(0, 200, "volume")},
         lambda a: f"set the volume of segment {a['segment']} to {_n(a['percent'])}%", ("segment", "percent")),
    Tool("undo", "Undo the last change.", {}, lambda a: "undo"),
    Tool("redo", "Redo the change undone last.", {}, lambda a: "redo"),
)
"""Every operation, in the order a model sees them."""
_BY_NAME = {t.name: t for t in TOOLS}


def tool_specs() -> list[dict[str, Any]]:
    """The operations as tool specs: `[{"name", "description", "parameters": <JSON schema>}]`."""
    return [t.spec() for t in TOOLS]


def _check(name: str, value: Any, schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if kind == "string":
        if not isinstance(value, str):
            return f"{name} must be text"
        if "enum" in schema and value not in schema["enum"]:
            return f"{name} must be one of {', '.join(map(str, schema['enum']))}"
        if not schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", 10**9):
            return f"{name} must be {schema.get('minLength', 0)}–{schema.get('maxLength')} characters long"
        return None
    if kind == "boolean":
        return None if isinstance(value, bool) else f"{name} must be true or false"
    if isinstance(value, bool) or not isinstance(value, int | float) or (kind == "integer" and not isinstance(value, int)):
        return f"{name} must be {'a whole number' if kind == 'integer' else 'a number'}"
    if not math.isfinite(value) or not schema["minimum"] <= value <= schema["maximum"]:
        return f"{name} must be between {_n(schema['minimum'])} and {_n(schema['maximum'])}"
    return None


def to_message(name: str, arguments: Any) -> tuple[str | None, str | None]:
    """`(message, None)` for a valid call, else `(None, sentence)` saying what is wrong."""
    tool = _BY_NAME.get(name) if isinstance(name, str) else None
    if tool is None:
        return None, f"There is no tool called {str(name)[:40]!r}."
    if not isinstance(arguments, dict):
        return None, f"The arguments of {tool.name} must be an object."
    extra = sorted(set(arguments) - set(tool.properties))
    if extra:
        return None, f"{tool.name} has no argument {str(extra[0])[:40]!r}."
    missing = [k for k in tool.required if k not in arguments]
    if missing:
        return None, f"{tool.name} needs {missing[0]}."
    for key, value in arguments.items():
        problem = _check(key, value, tool.properties[key])
        if problem:
            return None, f"{tool.name}: {problem}."
    try:
        return tool.phrase(arguments), None
    except ValueError as exc:
        return None, f"{tool.name}: {exc}."
