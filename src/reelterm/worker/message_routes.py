"""Where a typed message goes before anything reaches `/run_sse`: the agent, or export, credits,
state or upload (EN and ZH)."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Literal

from reelterm.protocol import EXPORT_FORMATS, SUPPORTED_UPLOADS
from reelterm.protocol.formats import FORMAT_ALIASES, UNSUPPORTED_FORMATS
from reelterm.worker.paths import local_path

RouteKind = Literal["chat", "export", "credits", "state", "upload"]
"""`chat` goes to the agent; each other kind is a worker command."""

MAX_COMMAND_WORDS = 8
"""A keyword routes a message only when the message is this short (or starts with the keyword)."""
MAX_COMMAND_CJK = 16
"""The same limit for Chinese text, in characters."""

_POLITE = r"(?:please\s+|pls\s+|can\s+you\s+|could\s+you\s+|now\s+|ok\s+|okay\s+|请|帮我|给我)?"
_SOFT_SUBS = re.compile(r"\b(?:soft|embedded|closed|selectable)\s+(?:subtitles?|captions?)\b|"
                        r"\bsubtitle\s+(?:track|stream)\b|软字幕|内封字幕", re.IGNORECASE)
_EXPORT = re.compile(
    r"\b(?:export|download)\b|send\s+me\s+the\s+(?:video|file|mp4|mp3|gif|audio|result)"
    r"|give\s+me\s+the\s+(?:video|file|mp4|result)|导出|下载", re.IGNORECASE)
_CREDITS = re.compile(
    r"\bcredits?\b|\bbalance\b(?!\s+(?:the|out|audio|levels?|volumes?|colou?rs?|music|sound|it|them))"
    r"|积分|余额", re.IGNORECASE)
_NOT_CREDITS = re.compile(
    r"\b(?:end|opening|closing|roll(?:ing)?|scroll(?:ing)?|film|movie|final)\s+(?:the\s+)?credits\b"
    r"|\bcredits?\s+(?:roll|scroll|sequence|screen|at\s+the\s+end)|片尾|字幕", re.IGNORECASE)
_STATE = re.compile(
    r"\b(?:status|state)\b|show\s+(?:me\s+)?(?:the\s+)?(?:tracks|timeline)|list\s+(?:the\s+)?tracks"
    r"|what(?:'s|\s+is)\s+on\s+the\s+timeline|状态|(?:显示|查看|看看)(?:一下)?(?:轨道|时间线)",
    re.IGNORECASE)
_UPLOAD = re.compile(r"\b(?:upload|attach)\b|上传", re.IGNORECASE)
_EDIT = re.compile(
    r"\b(?:add|merge|cut|trim|make|create|generate|change|remove|delete|replace|insert|put|move|turn"
    r"|convert|mute|crop|speed|slow|shorten|lengthen|split|edit|write|use)\b"
    r"|添加|加上|合并|剪|生成|删除|替换|修改|做一个|制作", re.IGNORECASE)
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_OTHER_FORMAT = re.compile(r"(?<![a-z0-9])\.?(?:" + "|".join(UNSUPPORTED_FORMATS) + r")(?![a-z0-9])", re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u9fff]")
_COMMANDS: tuple[tuple[RouteKind, re.Pattern[str]], ...] = (("export", _EXPORT), ("credits", _CREDITS), ("state", _STATE))
"""The commands a short message (or one that starts with the keyword) routes to, in this order."""

_QUALITY_WORDS = {
    "draft": "draft", "preview": "draft", "low": "draft", "480p": "draft", "草稿": "draft", "预览": "draft",
    "standard": "standard", "medium": "standard", "720p": "standard", "标准": "standard",
    "high": "high", "best": "high", "1080p": "high", "hd": "high", "4k": "high", "高清": "high", "高质量": "high",
}


@dataclass(frozen=True)
class MessageRoute:
    """Where one typed message goes: `chat` to the agent; the other kinds skip `/run_sse`."""

    kind: RouteKind
    text: str
    items: list[str] = field(default_factory=list)
    """For `upload`: the file paths and URLs found in the message."""
    rest: str = ""
    """For `upload`: what is left of the message once the files are taken out (sent as chat)."""
    fmt: str | None = None
    """For `export`: a format named in the message."""
    quality: str | None = None
    """For `export`: a quality named in the message."""


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'.-]+", text)


def _is_short(text: str) -> bool:
    if _CJK.search(text):
        latin = [w for w in _words(_CJK.sub(" ", text)) if w]
        return len(_CJK.findall(text)) + 2 * len(latin) <= MAX_COMMAND_CJK
    return len(_words(text)) <= MAX_COMMAND_WORDS


def _starts_with(pattern: re.Pattern[str], text: str) -> bool:
    match = re.match(_POLITE + r"\s*", text, re.IGNORECASE)
    head = text[match.end():] if match else text
    found = pattern.search(head)
    return found is not None and found.start() == 0


def _split_tokens(text: str) -> list[str]:
    try:
        return shlex.split(text, posix=True)
    except ValueError:
        return text.split()


def looks_like_file(token: str) -> bool:
    """True when `token` names an existing file (or a path with an upload extension and a slash)."""
    token = token.strip().strip(",;")
    if not token or _URL.fullmatch(token):
        return False
    path = local_path(token)
    try:
        if path.is_file():
            return True
    except OSError:
        return False
    suffix = path.suffix.lower().lstrip(".")
    return ("/" in token or "\\" in token or token.startswith("~")) and suffix in SUPPORTED_UPLOADS


def find_items(text: str) -> tuple[list[str], str]:
    """File paths and URLs in `text`, and the text without them."""
    items: list[str] = []
    rest: list[str] = []
    for token in _split_tokens(text):
        clean = token.strip().strip(",;")
        if clean.startswith("上传") and len(clean) > 2:
            rest.append("上传")
            clean = token = clean[2:]
        if _URL.fullmatch(clean) or looks_like_file(clean):
            items.append(str(local_path(clean)) if not _URL.fullmatch(clean) else clean)
        else:
            rest.append(token)
    return items, " ".join(rest)


def export_options(text: str) -> tuple[str | None, str | None]:
    """A format and a quality named in an export request, if any."""
    lowered = text.lower()
    names = (*EXPORT_FORMATS, *FORMAT_ALIASES)
    found = next((f for f in names if re.search(rf"(?<![a-z0-9]){re.escape(f)}(?![a-z0-9])", lowered)), None)
    fmt = FORMAT_ALIASES.get(found, found) if found else None
    if fmt is None and re.search(r"\b(?:thumbnail|still|poster|screenshot|cover image)\b|封面|截图|缩略图|海报", lowered):
        fmt = "jpg"  # a still frame
    elif fmt is None and re.search(r"\b(?:audio|sound ?track)\b|音频", lowered):
        fmt = "mp3"  # the sound alone
    if fmt is None and re.search(r"\b(srt|vtt|webvtt|subtitles?|captions?)\b|字幕", lowered):
        fmt = "vtt" if re.search(r"\b(web)?vtt\b", lowered) else "srt"  # the captions as a subtitle file
    quality = None
    for word, value in _QUALITY_WORDS.items():
        if re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", lowered):
            quality = value
            break
    return fmt, quality


def route(text: str) -> MessageRoute:
    """Decide what a user message asks for, before anything goes to the agent."""
    text = text.strip()
    if not text:
        return MessageRoute("chat", text)
    items, rest = find_items(text)
    upload_word = _UPLOAD.search(text) is not None
    has_file = any(not _URL.fullmatch(item) for item in items)
    if items and (upload_word or not _words(rest) or has_file):
        leftover = _UPLOAD.sub(" ", rest).strip(" ,;:.-")
        leftover = re.sub(r"^(?:(?:and|then|the|files?|these|this|them|please|to|it)\b\s*)+", "",
                          leftover, flags=re.IGNORECASE).strip()
        meaningful = len(_words(leftover)) >= 3 or len(_CJK.findall(leftover)) >= 4
        return MessageRoute("upload", text, items=items, rest=leftover if meaningful else "")
    if upload_word and _is_short(text) and not items:
        return MessageRoute("upload", text)
    for kind, pattern in _COMMANDS:
        if not pattern.search(text) or (kind == "credits" and _NOT_CREDITS.search(text)):
            continue
        if kind == "export" and _SOFT_SUBS.search(text):
            continue  # "export with soft subtitles" changes the draft first: the agent's job
        if (_is_short(text) or _starts_with(pattern, text)) and not _EDIT.search(text):
            if kind == "export":
                fmt, quality = export_options(text)
                if fmt is None and _OTHER_FORMAT.search(text):
                    return MessageRoute("chat", text)  # a format reelterm does not write: the agent says which it does
                return MessageRoute("export", text, fmt=fmt, quality=quality)
            return MessageRoute(kind, text)
    return MessageRoute("chat", text)
