"""Chat edits of a video's visuals, in English and Chinese: pictures, "no icons", calmer transitions,
background colours, "use my photos".

`recognise(message, has_draft)` names the edit (or None); `apply(name, data, message, uploads)`
takes the draft's wire dict and returns the changed dict and a sentence in English and in
Chinese, or raises `EditError`. The agent commits the result (see `outcome`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio.edits import EditError
from reelterm.engine.planner.numbers import parse_ordinals
from reelterm.engine.planner.palette import hue_backgrounds, named_colour
from reelterm.engine.planner.scene_kinds import CALM_TRANSITIONS, TRANSITIONS_BY_MOOD

Wire = dict[str, Any]
_PIC_NOUN = r"(?:icons?|pictures?|illustrations?|images?|graphics?|emojis?|clip ?art|artwork|drawings?)"
_SCENE_REF = (r"(?:scenes?|shots?|slides?|parts?)\s*(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b|"
              r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final) (?:scene|shot|slide)|"
              r"title card|end card|closing card|opening card")
_NOT_PIC = (r"text|words?|captions?|subtitles?|titles?|music|songs?|sound|voice|narration|fades?|transitions?|"
            r"volume|effects?|filters?|colou?rs?|backgrounds?")
_RULES: tuple[tuple[str, str], ...] = (
    ("use_uploads", r"\b(?:use|put in|add|include|show)\b.{0,16}\b(?:my|our|the uploaded|the)\b.{0,12}"
                    r"\b(?:photos?|pictures?|images?|uploads?|clips?|videos?|footage|media|files)\b"
                    r"(?!.{0,20}\b(?:in|on|for) (?:scene|shot|slide))|"
                    r"用我(?:们)?(?:上传|自己|拍)?的?(?:图片|照片|图|视频|素材|片子)|把我(?:上传)?的(?:图片|照片|视频|素材)(?:用上|放进去|加进去)"),
    ("no_pictures", rf"\b(?:no|without|remove|drop|hide|delete|get rid of|lose|don'?t want|do not want|no more|don'?t need)\b(?: the| all| any)?(?: of the)?"
                    rf"(?: \w+)? {_PIC_NOUN}\b|^\s*{_PIC_NOUN}\s+off\b|"
                    r"(?:不要|去掉|删掉|删除|移除|取消|别要|不需要)(?:所有的?|全部的?)?(?:图标|配图|插图|图片|小图|图案|表情)"),
    ("calm_transitions", r"\b(?:calm(?:er)?|soft(?:er)?|gentle|gentler|subtle|subtler|smooth(?:er)?|simpler|quiet(?:er)?|"
                         r"less (?:busy|flashy|distracting|jumpy))\b.{0,20}\btransitions?\b|"
                         r"\btransitions?\b.{0,24}\b(?:calm(?:er)?|soft(?:er)?|gentler|subtle|smoother|simpler|"
                         r"less (?:busy|flashy))\b|"
                         r"转场.{0,6}(?:柔和|平缓|安静|简单|温和|舒缓|平稳)|(?:柔和|平缓|温和|舒缓|平稳)(?:一点|一些)?的?转场"),
    ("lively_transitions", r"\b(?:livelier|lively|dynamic|more dynamic|energetic|punchier|snappier|bolder)\b.{0,20}"
                           r"\btransitions?\b|转场.{0,6}(?:活泼|动感|炫|有活力)|(?:动感|活泼)的?转场"),
    ("background", r"\b(?:backgrounds?|bg|backdrops?)\b.{0,30}(?:COLOURS)|(?:COLOURS).{0,12}\b(?:backgrounds?|bg|backdrops?)\b|"
                   r"背景.{0,8}(?:ZHCOLOURS)|(?:ZHCOLOURS).{0,4}的?背景"),
    ("picture", rf"\b(?:use|show|put|swap in|add|give(?: it)?)\b(?! (?:the |a |some )?(?:{_NOT_PIC})).{{1,40}}"
                rf"\b(?:in|on|for|into|to)\b(?: the)? (?:{_SCENE_REF})|"
                rf"{_PIC_NOUN}.{{0,30}}(?:{_SCENE_REF})|(?:{_SCENE_REF}).{{0,30}}{_PIC_NOUN}|"
                rf"^\s*(?:and\s+)?(?:an?|some)\s+(?!(?:{_NOT_PIC}|bit|little|lot|touch|tad|few|couple|"
                rf"more|less|seconds?|moment|pause|break|gap)\b)[a-z][a-z\-' ]{{1,30}}\s+(?:in|on|for)\s+(?:the\s+)?"
                rf"(?:{_SCENE_REF})\s*[.!]*$|"
                rf"(?:{_SCENE_REF})\s+(?:should\s+|could\s+|can\s+)?(?:show|shows|have|has|get|use|display)\s+(?:an?|the|some)\s+"
                rf"(?!(?:{_NOT_PIC})\b)|"
                r"(?:第.{1,3}(?:个|段|幕)?(?:场景|镜头|画面)|场景\s*\d+|片头|片尾).{0,8}(?:的)?(?:图|图片|图标|配图|插图|画面)?"
                r".{0,4}(?:换成|改成|改为|换为|用|放(?!到|在))"),
)


def _compiled() -> list[tuple[str, re.Pattern[str]]]:
    from reelterm.engine.planner.palette import COLOUR_NAMES, COLOUR_NAMES_ZH

    en = r"\b(?:" + "|".join(sorted(COLOUR_NAMES, key=len, reverse=True)) + r")\b|#[0-9a-f]{6}\b"
    zh = "|".join(sorted(COLOUR_NAMES_ZH, key=len, reverse=True))
    return [(name, re.compile(p.replace("ZHCOLOURS", zh).replace("COLOURS", en), re.IGNORECASE | re.DOTALL))
            for name, p in _RULES]


_PATTERNS = _compiled()


def recognise(message: str, *, has_draft: bool) -> str | None:
    """The visual edit a message asks for, or None (then the other intents decide)."""
    if not has_draft:
        return None
    low = " ".join(message.lower().split())
    if re.match(r"(?:set the (?:text|volume) of|delete|move|trim|extend|split) segment\b", low):
        return None  # the timeline's exact requests: their words are the user's text, not a command
    if re.search(r"\b(?:turn|convert|generate|create)\b.{0,40}\b(?:video|promo|clip)\b|做成|生成", low):
        return None  # a new video, not an edit
    for name, pattern in _PATTERNS:
        if pattern.search(low):
            if name == "picture" and re.search(r"\b(?:my|our|uploaded)\b|我上传|我的", low):
                return "use_uploads"
            plain = re.sub(r"title card|end card", " ", low)
            if name == "picture" and re.search(rf"\b(?:{_NOT_PIC})\b|文字|字幕|标题|音乐|音量|配乐|的字|字改|\bbgm\b", plain) \
                    and not re.search(rf"\b{_PIC_NOUN}\b|图", plain):
                return None
            return name
    return None


def apply(name: str, data: Wire, message: str, uploads: Sequence[Any] = ()) -> tuple[Wire, str, str]:
    """Make the edit `name` on `data` (a wire dict, changed in place); returns it and (English, Chinese)."""
    handlers: dict[str, Callable[[Wire, str], tuple[Wire, str, str]]] = {
        "use_uploads": use_uploads, "no_pictures": no_pictures, "calm_transitions": calm_transitions,
        "lively_transitions": lively_transitions, "background": background, "picture": picture}
    handler = handlers[name]
    if not E.scene_segments(data):
        raise refuse("there is no video yet; make one first", "还没有视频，先做一个吧")
    if name == "use_uploads":
        return use_uploads(data, uploads)
    return handler(data, message)


def refuse(en: str, zh: str) -> EditError:
    """The error for an edit that cannot be made: the reason in English and Chinese, nothing changed."""
    return EditError("visual_refused", error=en, error_zh=zh)


def _pictures_track(data: Wire) -> Wire:
    track = next((t for t in data.get("t", []) if t.get("id") == "pictures" and t.get("tt") == 0), None)
    if track is None:
        track = {"tt": 0, "id": "pictures", "m": {"name": "Pictures"}, "sg": []}
        data["t"].insert(1, track)
    return track


def _scenes(data: Wire) -> list[Wire]:
    """Every main video segment in time order (title card and end card included)."""
    return sorted((E.main_video(data) or {}).get("sg", []), key=lambda s: s["s"])


def _target(data: Wire, message: str) -> Wire:
    low = message.lower()
    every = _scenes(data)
    if re.search(r"title card|opening card|片头|标题卡", low):
        return every[0]
    if re.search(r"end card|closing card|片尾|结尾卡", low):
        return every[-1]
    body = E.scene_segments(data)
    nums = parse_ordinals(message)
    if not nums:
        raise refuse("say which scene, e.g. “use a rocket in scene 2”", "请说明是哪个场景，例如“把第二个场景的图换成火箭”")
    n = nums[0]
    if n == -1:
        return body[-1]
    if not 1 <= n <= len(body):
        raise refuse(f"there is no scene {n}; the video has {len(body)} scenes", f"没有第{n}个场景，视频只有{len(body)}个场景")
    return body[n - 1]


_WANT = re.compile(r"\b(?:use|show|shows|display|have|has|put|with|to|into|swap in|add|give(?: it)?|make it|should be|be)\s+(?:an?\s+|the\s+|some\s+)?"
                   r"(?:picture|image|icon|illustration)?\s*(?:of\s+)?(?:an?\s+|the\s+)?([a-z][a-z \-']{1,40}?)"
                   r"(?:\s+(?:in|on|for|into|to|instead)\b|[.!?,]|$)", re.IGNORECASE)
_WANT_LOOSE = re.compile(r"(?:\bfor|^\s*(?:and\s+)?)\s*(?:an?|some)\s+(?!(?:bit|little|lot|touch|tad|few|couple|more|less)\b)([a-z][a-z\-']{1,20}(?: [a-z][a-z\-']{1,20})?)"
                         r"(?:\s+(?:in|on|for)\b|\s*[.!]*$)", re.IGNORECASE)
_WANT_ZH = re.compile(r"(?:换成|改成|改为|换为|用|放)(?:一个|一张|一只|个|张)?([\u4e00-\u9fffA-Za-z]{1,12}?)"
                      r"(?:的?(?:图|图片|图标|插图|配图))?(?:吧|好了|好吗|呢|。|！|!|$)")


def wanted_thing(message: str) -> str | None:
    """What picture a message asks for ("use a rocket in scene 2" -> "rocket"; "换成火箭" -> "火箭")."""
    zh = _WANT_ZH.search(message)
    if zh:
        return zh.group(1)
    for m in _WANT.finditer(message):
        word = m.group(1).strip()
        word = re.sub(r"^(?:scene|shot|slide)\s*\S*\s*", "", word).strip()
        if word and not re.fullmatch(r"(?:scene|shot|slide|title card|end card|it|this|that)(?:\s*\d+)?", word):
            return word
    loose = _WANT_LOOSE.search(message)  # "swap the picture in scene 1 for a dog", "a dog in scene 2"
    return loose.group(1).strip() if loose else None


def picture(data: Wire, message: str) -> tuple[Wire, str, str]:
    """Put a library picture matching the message's words into one scene."""
    scene = _target(data, message)
    thing = wanted_thing(message)
    if not thing:
        raise refuse("say what the picture should show, e.g. “use a rocket in scene 2”", "请说明要换成什么图，例如“换成火箭”")
    try:
        from reelterm.engine.planner.picker import search_pictures
    except ImportError:
        raise refuse("the picture library is not installed", "图库没有安装") from None
    track = _pictures_track(data)
    used = {s.get("src") for s in track["sg"] if s.get("m", {}).get("scene") != scene.get("id")}
    found = [r for r in search_pictures(thing, limit=8) if r not in used]
    if not found:
        raise refuse(f"no picture in the library matches “{thing}”", f"图库里没有与“{thing}”相符的图")
    track["sg"] = [s for s in track["sg"] if s.get("m", {}).get("scene") != scene.get("id")]
    sm = scene.setdefault("m", {})
    if sm.get("layout") is None:
        _adopt_texts(data, scene)
    if sm.get("layout") in ("list", "media", None):
        sm["layout"] = "feature"
    track["sg"].append({"id": f"p-{scene['id']}-1", "s": scene["s"], "d": scene["d"], "src": found[0],
                        "m": {"name": f"Picture: {thing}", "scene": scene["id"], "slot": 0, "enter": "pop",
                              "move": "float"}})
    label = sm.get("name") or "the scene"
    article = "" if re.match(r"(?:an?|the|some|my|our)\s|\w+s$", thing, re.IGNORECASE) else (
        "an " if thing[:1].lower() in "aeiou" else "a ")
    return data, f"{label} now shows a picture of {article}{thing} ({found[0]}).", f"{_label_zh(label)}的配图已换成“{thing}”（{found[0]}）。"


def _label_zh(name: str) -> str:
    """A scene's name in Chinese: "Scene 2" -> 第2个场景, the title and end cards -> 片头, 片尾."""
    m = re.fullmatch(r"Scene (\d+)", name)
    if m:
        return f"第{m.group(1)}个场景"
    return {"Title card": "片头", "End card": "片尾"}.get(name, name)


def wants_no_pictures(message: str) -> bool:
    """True when a message asks for no icons or pictures ("… without icons", "不要图标")."""
    return dict(_PATTERNS)["no_pictures"].search(" ".join(message.lower().split())) is not None


def no_pictures(data: Wire, message: str, strict: bool = True) -> tuple[Wire, str, str]:
    """Take the library pictures and motifs out; the words get the whole stage (uploads stay)."""
    track = _pictures_track(data)
    gone = [s for s in track["sg"] if str(s.get("src", "")).startswith(("icon:", "motif:"))]
    if not gone and strict:
        raise refuse("the video has no icons or pictures to take out", "视频里没有可去掉的图标或配图")
    track["sg"] = [s for s in track["sg"] if s not in gone]
    for seg in _scenes(data):
        if seg.get("m", {}).get("layout") == "list":
            seg["m"]["layout"] = "feature"
    n = len(gone)
    return data, (f"Took out {n} picture{'s' if n != 1 else ''}; the words now have the stage to themselves "
                  "over the moving backgrounds."), f"去掉了{n}张配图，只保留文字和动态背景。"


def _set_transitions(data: Wire, names: Sequence[str], ms: int) -> int:
    count = 0
    for i, seg in enumerate(_scenes(data)[1:]):
        m = seg.setdefault("m", {})
        m["transition"], m["transition_ms"] = names[i % len(names)], min(ms, seg["d"] // 3)
        count += 1
    return count


def calm_transitions(data: Wire, message: str) -> tuple[Wire, str, str]:
    """Soft cross-fades and dips to black, a little longer; pictures come in gently."""
    _set_transitions(data, CALM_TRANSITIONS, 700)
    for seg in _pictures_track(data)["sg"]:
        seg.setdefault("m", {})["enter"] = "pop"
    return (data, "Transitions are calmer now: soft cross-fades and dips to black of 0.7 s, and pictures come in gently.",
            "转场改成了更柔和的交叉淡化和闪黑（0.7秒），配图也会轻轻出现。")


def lively_transitions(data: Wire, message: str) -> tuple[Wire, str, str]:
    """Brisk slides, wipes and zooms; pictures bounce in."""
    _set_transitions(data, TRANSITIONS_BY_MOOD["energetic"], 400)
    for i, seg in enumerate(_pictures_track(data)["sg"]):
        seg.setdefault("m", {})["enter"] = ("bounce", "slide")[i % 2]
    return (data, "Transitions are livelier now: slides, zooms and wipes, and pictures bounce in.",
            "转场改成了更有活力的滑动、缩放和擦除，配图会弹跳进场。")


def background(data: Wire, message: str) -> tuple[Wire, str, str]:
    """Every generated background in shades of one colour (the user's own pictures and clips stay)."""
    colour = named_colour(message)
    if colour is None:
        raise refuse("name a colour, e.g. “make the background blue”", "请说出一种颜色，例如“背景换成蓝色”")
    name, hex_or_hue = colour
    if name in ("white", "白"):
        raise refuse("the words are white, so a white background would hide them; try a colour such as blue or black",
                     "文字是白色的，白色背景会让文字看不见；换一种颜色吧，比如蓝色或黑色")
    scenes = [s for s in _scenes(data) if str(s.get("src", "")).startswith(("gradient:", "color:"))]
    if not scenes:
        raise refuse("every scene shows your own pictures or clips, so there is no generated background to recolour",
                     "每个场景都是你自己的图片或视频，没有可换颜色的背景")
    fills = hue_backgrounds(hex_or_hue, len(scenes))
    for seg, src in zip(scenes, fills, strict=True):
        seg["src"] = src
    return (data, f"The backgrounds of {len(scenes)} scenes are now {name}, in a few shades so the cuts still show.",
            f"{len(scenes)}个场景的背景换成了{name}色系，深浅略有变化，切换仍然清楚。")


def use_uploads(data: Wire, uploads: Sequence[Any]) -> tuple[Wire, str, str]:
    """The user's uploaded pictures and clips become the scenes' visuals (by file name, else in order)."""
    from reelterm.engine.planner.scene_media import Visual, assign_media

    visuals = [Visual(u.src, u.kind, u.duration_ms, u.filename) for u in uploads if u.kind in ("image", "video")]
    if not visuals:
        raise refuse("you have not uploaded any pictures or clips yet; upload some first",
                     "你还没有上传图片或视频，请先上传")
    body = E.scene_segments(data)
    words = [_scene_words(data, seg) for seg in body]
    chosen = assign_media(words, visuals)
    track = _pictures_track(data)
    used = 0
    for seg, vis in zip(body, chosen, strict=True):
        if vis is None:
            continue
        used += 1
        m = seg.setdefault("m", {})
        seg["src"], seg["in"] = vis.src, 0
        m["layout"], m["fit"] = "media", "cover"
        for key in ("zoom", "move", "loop", "volume"):
            m.pop(key, None)
        if vis.kind == "image":
            m["move"] = "kenburns"
        else:
            m["volume"] = 0.0
            if vis.duration_ms is not None and vis.duration_ms < seg["d"]:
                m["loop"] = True
        track["sg"] = [s for s in track["sg"] if s.get("m", {}).get("scene") != seg.get("id")]
    left = len(visuals) - used
    more = f" {left} more did not fit: there are only {len(body)} scenes." if left > 0 else ""
    more_zh = f"还有{left}个素材放不下：只有{len(body)}个场景。" if left > 0 else ""
    return (data, f"Your {used} upload{'s' if used != 1 else ''} now fill{'s' if used == 1 else ''} "
                  f"{used} scene{'s' if used != 1 else ''}: photos pan slowly toward their subject, clips are trimmed "
                  f"to their scene.{more}", f"已用你上传的{used}个素材做场景画面：照片会缓缓平移，视频按场景长度裁剪。{more_zh}")


def _adopt_texts(data: Wire, scene: Wire) -> None:
    """A scene of a draft made before layouts: its big words (title style) become the layout's headline."""
    a, b = scene["s"], scene["s"] + scene["d"]
    for track in data.get("t", []):
        if track.get("tt") != 7:
            continue
        for seg in track.get("sg", []):
            m = seg.setdefault("m", {})
            if m.get("style") == "title" and a <= seg.get("s", 0) < b and not m.get("scene"):
                m["scene"], m["role"] = scene["id"], "headline"


def _scene_words(data: Wire, scene: Wire) -> str:
    """The words shown in a scene (its key phrases and captions), for matching file names."""
    a, b = scene["s"], scene["s"] + scene["d"]
    return " ".join(str(s.get("m", {}).get("text", "")) for t in data.get("t", []) if t.get("tt") == 7
                    for s in t.get("sg", []) if a <= s.get("s", 0) < b)
