"""What a message is made of: quoted text, text after a colon, a topic, the generation test, and `RuleMatch`.

Which handler a message goes to is decided by the rule table in `rules.py`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reelterm.engine.agent.studio.describe import described_video

QUOTES = re.compile(r"“([^”]+)”|\"([^\"]+)\"|「([^」]+)」|『([^』]+)』|‘([^’]+)’|(?<![A-Za-z])'([^']+)'(?![A-Za-z])")


@dataclass(frozen=True)
class RuleMatch:
    """A message as the rule table read it: the rule's `name` (`unknown` when none took it), the message
    without its quoted text (`bare`), and that quoted text."""

    name: str
    bare: str
    quoted: str | None


def quoted_text(message: str) -> str | None:
    """The longest quoted span of the message (“…”, "…", 「…」, '…'), if any."""
    spans = [next(g for g in m.groups() if g is not None) for m in QUOTES.finditer(message)]
    spans = [s.strip() for s in spans if s and s.strip()]
    return max(spans, key=len) if spans else None


def after_colon(message: str) -> str | None:
    """Text after the first colon, when it is long enough to be content rather than a label."""
    m = re.search(r"(?<!\d)[:：](?!\d|//)\s*(.+)$", message, re.DOTALL)  # never the colon of "https://"
    if not m:
        return None
    body = m.group(1).strip()
    if re.fullmatch(r"\d{1,2}(?:\s*[:：]\s*\d{2})*.*", body) and len(body) < 12:
        return None
    return body if len(body) >= 12 else None


_PLATFORM = (r"(?:(?:my|our|the|a|an)\s+)?(?:instagram|tiktok|youtube|facebook|twitter|x|linkedin|snapchat|"
             r"pinterest|reels?|shorts?|stories)(?:\s+(?:reels?|shorts?|stories|videos?|ads?|posts?|feed))?")
_LENGTH = r"(?:\d+|one|two|three|half\s+a|a)\s*(?:s|secs?|seconds?|mins?|minutes?)"
_NOT_A_TOPIC = re.compile(rf"^(?:{_PLATFORM}|{_LENGTH})(?:\s+(?:about|of|on|showing|featuring)\b|$)", re.IGNORECASE)
"""A "for …" that names where the video goes or how long it is, not what it is about."""
_REFERENCE = re.compile(r"^(?:(?:this|that|these|those|the|my|our)\s+)?(?:uploaded\s+)?(?:script|text|document|"
                        r"doc|file|pdf|docx|txt|upload|description|copy|content|words)\b", re.IGNORECASE)
"""A "for …" that points at what was uploaded: the uploaded text is the source, not these words."""

_INSTRUCTIONS = re.compile(
    r"(?:[,;]? (?:with|and|plus) (?:[^ ]+ ){0,3}?(?:music|soundtrack|bgm|narration|voice-?over|subtitles|"
    r"captions|transitions)\b|[,;]? (?:in )?(?:\d+ ?: ?\d+|vertical|portrait|square|landscape)\b|"
    r"[,;]? (?:in|of|lasting) \d+ ?(?:s|sec|secs|seconds?|minutes?)\b).*$", re.IGNORECASE | re.DOTALL)
"""Trailing instructions after a topic; spaces are collapsed first, so no run of them backtracks."""
_ZH_TOPIC = re.compile(r"(?:关于(.{4,}?)|(?:为|给)(?!(?:[我你他她咱]们|[我你您他她它]|大家)(?![们的]))"
                       r"([^做拍生制]{4,}?))(?:做|制作|拍|生成)?(?:一个|一条|一段|个)?的?(?:宣传)?(?:短视频|视频|短片|宣传片)")
"""关于X的视频 / 为X做视频 / 给X做个视频; "给我做一个视频" (make me a video) names no topic."""
_ZH_TOPIC_AFTER = re.compile(r"(?:视频|短片|宣传片|短视频)[，,、：:\s]*(?:关于|介绍|主题是|内容是)([^，。！？!?]{4,60})[。！!]?$")
"""…视频，关于X: the topic after the video is named."""


def topic_text(message: str) -> str | None:
    """The topic of "make a video about X" / "a promo for X" / "关于X的视频", when long enough to plan from."""
    flat = " ".join(message.split())
    for lead in (r"about|saying|that says|announcing", r"for|promoting|advertising|introducing|showcasing|featuring"):
        m = re.search(rf"\b(?:{lead}) (.{{12,}})$", flat, re.IGNORECASE)
        if m is None or _REFERENCE.match(m.group(1)):
            continue
        topic = _NOT_A_TOPIC.sub("", m.group(1)).strip()
        topic = _INSTRUCTIONS.sub("", topic).strip().rstrip(".!?,")
        if len(topic) >= 12 and len(topic.split()) >= 3:
            return topic[:1].upper() + topic[1:] + "."
    m = _ZH_TOPIC.search(flat)
    if m:
        return (m.group(1) or m.group(2)) + "。"
    m = _ZH_TOPIC_AFTER.search(flat)  # 做一个视频，关于我们的新店
    return m.group(1) + "。" if m else None


def strip_quotes(message: str) -> str:
    """The message with quoted spans replaced by a placeholder."""
    return QUOTES.sub(" «q» ", message)


def has(pattern: str, text: str) -> bool:
    """True when the regex `pattern` matches somewhere in `text`, ignoring case."""
    return re.search(pattern, text, re.IGNORECASE) is not None


_GEN_VERB = (r"\b(turn|convert|make|create|generate|produce|build|transform|render|put together)\b"
             r"|generat|做成|生成|制作|转成|转换成|变成|做一个|做个|做一段|做条|做支|弄成|剪成|剪个|剪一个|剪一段|text[- ]to[- ]video|文字转视频|文本转视频")
_GEN_OBJ = (r"\b(video|vid|vids|vidoe|vidio|viedo|clip|tiktok|promo|promotional|ad|advert|commercial|reel|mp4|movie|film|trailer|teaser|explainer)\b"
            r"|视频|短片|宣传片|广告|影片|短视频|抖音|快手|视频号|小红书")
_TEXT_NOUN = (r"\b(text|script|scripts|description|copy|article|paragraph|story|words|blog|post|document|doc|pdf|docx|txt|prompt|prompts|written|caption text|slogan|tagline|summary|pitch|announcement|file|upload|uploaded|attachment|attached|message)\b"
              r"|文字|文案|脚本|文本|描述|这段|这篇|内容|稿|介绍|说明")
_UPLOADED_MEDIA = (r"\b(?:my|the|this|that|our)\s+(?:uploaded\s+|own\s+)?(?:video|clip|footage|recording|movie)(?:'s)?\b"
                   r"|我的视频|这个视频|上传的视频|我的片子")
"""An uploaded clip named as the thing to edit."""
_PROMO = r"\b(promo|promotional|ad|advert|commercial|marketing|marketers|explainer)\b|宣传|广告|推广|营销"


def is_generation(bare: str, has_text: bool, has_draft: bool) -> bool:
    """True when the message asks to make a new video from text."""
    verb = has(_GEN_VERB, bare)
    obj = has(_GEN_OBJ, bare)
    if has(r"text[- ]to[- ]video|文字转视频|文本转视频|videos? from (written )?(text|scripts?)", bare):
        return True
    if obj and has(r"\b(?:same|that|previous|last|my) (?:text|script|copy|message|one|words)\b|\buse\b.*\b(?:script|text|copy|message|file|upload)", bare):
        return True
    if not has_draft and not has(_UPLOADED_MEDIA, bare) and described_video(bare) is not None:
        return True  # "a 10 second city timelapse with lo-fi music and the title Urban Dreams"
    if obj and not has_draft and (topic_text(bare) or has(r"\b(?:pls|plz|please|need|want|gimme|give me)\b", bare)):
        return True
    if not (verb and obj):
        return False
    if has(r"\b(?:audio|mp3|wav|m4a|sound ?track|songs?)\b|音频|声音", bare) and not has(_TEXT_NOUN, bare):
        return False  # "convert my audio and video" is a conversion of uploads, not text to film
    if has(_UPLOADED_MEDIA, bare) and not has(_TEXT_NOUN, bare) and not has_text:
        return False  # "make my video square", "convert my clip to a gif": an edit of what was uploaded
    if has(_TEXT_NOUN, bare) or has_text or has(_PROMO, bare):
        return True
    if topic_text(bare) or (has(r"\b(about|for|on)\b|关于", bare) and not has_draft):
        return True
    # with nothing on the timeline, "make a video" / "给我做一个视频" means one from whatever text there is
    # (else it asks for the text)
    return not has_draft
