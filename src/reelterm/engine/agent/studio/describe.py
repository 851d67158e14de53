"""A video described rather than pasted: "a 10 second city timelapse with lo-fi music and the title X"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTED = r"[\"“「『']([^\"”」』']{1,60})[\"”」』']"
_TITLE_EN = re.compile(
    rf"[,;]?\s*(?:(?:and|with|plus)\s+)?(?:(?:the|a)\s+)?(?:title(?:d| card)?|called|named|entitled)"
    rf"\s*(?:(?:of|is|as|reading|saying)\s+|[:：]\s*)?(?:{_QUOTED}|(«q»)|([A-Z0-9][^,;.!?]{{0,58}}?))\s*(?=[,;.!?]|\s+(?:and|with|in|at|for)\s|$)",
    re.IGNORECASE)
_TITLE_BEFORE = re.compile(rf"(?:{_QUOTED}|(«q»))\s+(?:as\s+)?(?:the\s+)?title\b", re.IGNORECASE)
_TITLE_ZH = re.compile(rf"[，,、]?\s*(?:标题|题目|名字|片名)(?:是|为|叫做?|用)?[:：]?\s*(?:{_QUOTED}|([^，,。！!？?、\s]{{1,30}}))"
                       r"|[，,、]?\s*叫(?:做)?\s*(?:" + _QUOTED + r"|([^，,。！!？?、\s]{2,20}))(?=$|[，,。！!？?])")
_VIDEO_NOUN = (r"\b(?:video|vid|clip|reel|montage|slideshow|slide show|time-?lapse|timelapse|short film|film|movie|intro|"
               r"outro|vlog|teaser|trailer|animation|short)s?\b|视频|短片|影片|短视频|延时|片子|宣传片|短剧|vlog")
_NOT_DESCRIBED = re.compile(
    r"^\s*(?:please\s+)?(?:add|remove|delete|cut|trim|set|change|mute|export|download|undo|redo|swap|move|replace|"
    r"drop|keep|fade|speed|slow|turn (?:the|it|up|down)|make (?:it|the|this|that)\b|use)\b|"
    r"\b(?:this|that|these|the above|my|the|attached|uploaded)\s+(?:text|script|copy|document|file|doc|pdf|upload|"
    r"message|words|description)\b|这段|这篇|上面|以下|文案|脚本|上传", re.IGNORECASE)
"""An edit, or a pointer at text given elsewhere: not a description."""

_NOT_A_SUBJECT = re.compile(
    r"\b(?:that|this|it|these|those|them|same|last|previous|above|below|following|here|convert|turn|transform|"
    r"change|help|make|create|into|cut|trim|edit|upload(?:ed)?|my (?:audio|music|song|video|clip))\b|"
    r"[它这那把剪删改换]|做成|上面|下面", re.IGNORECASE)
"""Left over from a request that points at something else ("make a video from that", "把它做成视频")."""
_LEADS_EN = re.compile(
    r"^(?:(?:hey|hi|ok|okay|so|pls|please|yo)[,!\s]+)*(?:(?:can|could|would|will) you\s+|i(?:'d| would)? (?:want|need|like)"
    r"(?: you to)?\s+|i'd love\s+|let'?s\s+|give me\s+|gimme\s+|(?:please\s+)?)?"
    r"(?:(?:make|create|generate|produce|build|render|do|put together|shoot|edit)\s+(?:me\s+|us\s+)?)?", re.IGNORECASE)
_SETTINGS_EN = re.compile(
    r"\b(?:\d+(?:\.\d+)?|one|two|three|five|ten|fifteen|twenty|thirty|sixty|half a)\s*-?\s*"
    r"(?:s|secs?|seconds?|mins?|minutes?)\b(?:\s+long)?|"
    r"\b(?:with|and|plus|using|set to)?\s*(?:(?:some|a|an|the|nice|soft|gentle)\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:music|soundtrack|bgm|song|beat|beats|tune)(?:\s+at\s+\d+\s*%)?\b|"
    r"\b(?:in\s+)?(?:vertical|portrait|square|landscape|horizontal|widescreen|\d{1,2}\s*:\s*\d{1,2}|4k|\d{3,4}p)"
    r"(?:\s+format)?\b|\bfor (?:tiktok|instagram|youtube|reels|shorts|stories)\b|"
    r"\b(?:with|and) (?:a |some )?(?:voice-?over|narration|captions|subtitles|transitions)\b", re.IGNORECASE)
_FILLER_EN = re.compile(
    r"^(?:(?:a|an|the|some|short|quick|little|nice|cool|simple|small|new|me|of|about|showing|featuring|on|with|and|"
    r"that shows|for|video|clip)\b\s*)+|\s*\b(?:of|about|showing|featuring|on|with|and|that shows|for|a|an|the)$",
    re.IGNORECASE)
_NOUN_EN = re.compile(r"\b(?:video|vid|clip|reel|montage|slideshow|slide show|time-?lapse|timelapse|short film|film|movie|"
                      r"vlog|teaser|trailer|animation)s?\b", re.IGNORECASE)
_KIND_KEPT = re.compile(r"\b(time-?lapse|timelapse|montage|slideshow|animation|intro|outro)s?\b", re.IGNORECASE)
_LEADS_ZH = re.compile(r"^(?:请|麻烦)?(?:你)?(?:帮我|给我|替我|为我|帮忙)?(?:做|生成|制作|拍|剪|弄|来|整)?(?:一个|一条|一段|个|条|段|支)?")
_SETTINGS_ZH = re.compile(
    r"[\d一二三四五六七八九十两百]+\s*(?:秒钟?|分钟)(?:的|长)?|(?:配上?|加上?|要有|用|带|搭配)?[^，,。、]{0,6}?(?:音乐|配乐|背景乐|bgm|歌)"
    r"|竖屏|竖版|横屏|横版|方形|正方形|(?:\d{1,2}\s*[:：比]\s*\d{1,2})|抖音|快手|小红书", re.IGNORECASE)
_FILLER_ZH = re.compile(r"(?:的)?(?:短视频|视频|短片|影片|片子|宣传片|vlog)|^(?:关于|介绍|展示|一个|一段|一条|的)+|(?:的|，|,|、|。)+$"
                        r"|^(?:[，,、\s]|的)+", re.IGNORECASE)


@dataclass(frozen=True)
class Described:
    """What a description names: the subject to film and the title asked for ("" when none)."""

    subject: str
    title: str

    def text(self) -> str:
        """The text the storyboard plans from: the title as its heading line, then the subject."""
        zh = re.search(r"[\u4e00-\u9fff]", self.subject) is not None
        body = self.subject[:1].upper() + self.subject[1:] + ("。" if zh else ".")
        if not self.title:
            return body
        return f"「{self.title}」{body}" if zh else f"{self.title}\n{body}"  # a CJK heading needs its quotes


def _title(message: str) -> tuple[str, str]:
    """The asked title and the message without it."""
    for pattern in (_TITLE_ZH, _TITLE_BEFORE, _TITLE_EN):
        m = pattern.search(message)
        if m:
            title = next((g for g in m.groups() if g), "").strip(" .'\"")
            if title:
                return title, (message[: m.start()] + " " + message[m.end():]).strip()
    return "", message


def described_video(message: str) -> Described | None:
    """The subject (and title) of a message that describes a video instead of pasting its text: it names
    a kind of video (a video, a timelapse, a montage, 视频…) or a title, and what is left once the length,
    music, format, title and the asking words are taken out is the subject. None for an edit, a pointer at
    uploaded text, or a message with no subject left."""
    flat = " ".join(message.split())
    if not flat or len(flat) > 300 or "\n" in message.strip() or _NOT_DESCRIBED.search(flat) or re.search(
            r"[.!?。！？]\s*\S.*[.!?。！？:：]|https?://|\bwww\.|^\s*\w+\s*[:：]", flat):  # a script, a link, labels
        return None
    title, rest = _title(flat)
    if not title and not re.search(_VIDEO_NOUN, rest, re.IGNORECASE):
        return None
    zh = re.search(r"[\u4e00-\u9fff]", rest) is not None
    if zh:
        subject = _SETTINGS_ZH.sub("，", _LEADS_ZH.sub("", rest.strip()))
        parts = [_FILLER_ZH.sub("", p).strip() for p in re.split(r"[，,。、；;！!？?]", subject)]
        parts = [p for p in parts if len(p) >= 2]
        subject = "，".join(parts)
    else:
        subject = _SETTINGS_EN.sub(",", rest)
        parts = []
        for piece in re.split(r"[,;.!?]+", subject):
            piece = _LEADS_EN.sub("", piece.strip())
            kind = _KIND_KEPT.search(piece)  # "city timelapse" films a timelapse of a city
            piece = " ".join(_NOUN_EN.sub(" ", piece).split())
            for _ in range(3):
                piece = " ".join(_FILLER_EN.sub("", piece).split())
            if kind and piece and not parts and kind.group(1).lower() in ("timelapse", "time-lapse", "montage"):
                before = kind.start() < len(piece) and re.match(rf"\W*(?:\w+\W+){{0,3}}{re.escape(kind.group(0))}\s+of\b",
                                                               kind.string, re.IGNORECASE)
                piece = f"{kind.group(1).lower()} of {piece}" if before else f"{piece} {kind.group(1).lower()}"
            if re.search(r"[A-Za-z]{3,}", piece):
                parts.append(piece)
        subject = ", ".join(parts)
    if len(subject) < 2 or _NOT_A_SUBJECT.search(subject):
        return None
    return Described(subject[:120], title[:60])
