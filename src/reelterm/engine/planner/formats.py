"""Canvas formats ("vertical", "TikTok", "9:16", "竖屏", "720p", "4k") and export requests."""

from __future__ import annotations

import re

from reelterm.engine.planner.numbers import normalize
from reelterm.media.formats import AUDIO_TARGETS, DRAFT_TARGETS
from reelterm.protocol.formats import UNSUPPORTED_FORMATS

_ASPECTS: tuple[tuple[str, tuple[int, int]], ...] = (
    (r"9\s*[:/x×比]\s*16|vertical|portrait|upright|\bfor (?:phones?|mobile)\b|phone[- ]sized|tiktok|tik tok|reels?\b|shorts\b|(?:youtube|yt) short\b|stories\b|竖屏|竖版|竖的|竖向|抖音|快手|视频号", (9, 16)),
    (r"1\s*[:/x×比]\s*1(?!\d)|square|instagram post|方形|正方形|方的", (1, 1)),
    (r"4\s*[:/x×比]\s*5(?!\d)", (4, 5)),
    (r"3\s*[:/x×比]\s*4(?!\d)|小红书", (3, 4)),
    (r"4\s*[:/x×比]\s*3(?!\d)", (4, 3)),
    (r"16\s*[:/x×比]\s*9|horizontal|landscape|widescreen|wide screen|youtube|横屏|横版|横的|横向|宽屏", (16, 9)),
)
_HEIGHTS = {"2160": 2160, "4k": 2160, "uhd": 2160, "1440": 1440, "2k": 1440, "1080": 1080,
            "full hd": 1080, "fhd": 1080, "720": 720, "hd": 720, "540": 540, "480": 480,
            "360": 360, "240": 240}

EXPORT_FORMATS = DRAFT_TARGETS
"""Formats an export may ask for: whatever the renderer makes of a timeline."""
AUDIO_FORMATS = AUDIO_TARGETS
"""Export formats that hold audio only."""


def _even(value: float) -> int:
    return max(16, int(round(value / 2)) * 2)


def parse_aspect(text: str) -> tuple[int, int] | None:
    """The aspect ratio named in the text, as (w, h), or None."""
    low = normalize(text)
    for pattern, ratio in _ASPECTS:
        if re.search(pattern, low):
            return ratio
    return None


def parse_short_side(text: str) -> int | None:
    """The resolution named in the text ("720p", "4k", "1080P", "全高清") as the short side."""
    low = normalize(text)
    m = re.search(r"(?<!\d)(2160|1440|1080|720|540|480|360|240)\s*p(?![a-z])", low)
    if m:
        return _HEIGHTS[m.group(1)]
    m = re.search(r"(?<![a-z0-9])(4k|uhd|2k|full hd|fhd)(?![a-z0-9])|全高清|超清|高清|标清", low)
    if m:
        word = m.group(1) or m.group(0)
        return {"全高清": 1080, "超清": 2160, "高清": 1080, "标清": 480}.get(word, _HEIGHTS.get(word, 1080))
    m = re.search(r"(?<!\d)(\d{3,4})\s*[x×*]\s*(\d{3,4})(?!\d)", low)
    if m:
        return min(int(m.group(1)), int(m.group(2)))
    return None


def parse_size(text: str) -> tuple[int, int] | None:
    """An explicit "1280x720" size, or None."""
    m = re.search(r"(?<!\d)(\d{3,4})\s*[x×*]\s*(\d{3,4})(?!\d)", normalize(text))
    if not m:
        return None
    w, h = int(m.group(1)), int(m.group(2))
    return (_even(w), _even(h)) if 16 <= w <= 4096 and 16 <= h <= 4096 else None


def canvas_for(aspect: tuple[int, int], short_side: int) -> tuple[int, int]:
    """Width and height (even, within 4096) for an aspect ratio and a short side."""
    aw, ah = aspect
    w: float
    h: float
    if aw >= ah:
        w, h = short_side * aw / ah, short_side
    else:
        w, h = short_side, short_side * ah / aw
    scale = min(1.0, 4096 / max(w, h))
    return _even(w * scale), _even(h * scale)


def parse_format(text: str, current: tuple[int, int] = (1920, 1080)) -> tuple[int, int] | None:
    """The canvas the text asks for, keeping what it does not mention from `current`; None if none.

    "vertical"/"TikTok"/"9:16"/"竖屏" -> 1080x1920; "square"/"1:1" -> 1080x1080; "720p" keeps the
    current orientation at 720 on the short side; "4k" -> 3840x2160.
    """
    size = parse_size(text)
    if size:
        return size
    aspect = parse_aspect(text)
    short = parse_short_side(text)
    if aspect is None and short is None:
        return None
    cw, ch = current
    if aspect is None:
        g = _gcd(cw, ch)
        aspect = (cw // g, ch // g)
    if short is None:
        short = 1080 if min(cw, ch) >= 1080 or aspect != _ratio(cw, ch) else min(cw, ch)
    return canvas_for(aspect, short)


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a or 1


def _ratio(w: int, h: int) -> tuple[int, int]:
    g = _gcd(w, h)
    return (w // g, h // g)


def parse_file_format(text: str) -> str | None:
    """The file format named in the text ("MP4", "webm", "as mp3"), or None."""
    low = normalize(text)
    m = re.search(r"(?<![a-z0-9])(" + "|".join(EXPORT_FORMATS) + r")(?![a-z0-9])", low)
    if m:
        return m.group(1)
    if re.search(r"\bmpeg-?4\b|\bh\.?264\b", low):
        return "mp4"
    if re.search(r"\bquicktime\b", low):
        return "mov"
    return None


def unsupported_format(text: str) -> str | None:
    """A file format named in the text that reelterm does not write ("export as flv"), or None."""
    if parse_file_format(text):
        return None
    m = re.search(r"(?<![a-z0-9])\.?(" + "|".join(UNSUPPORTED_FORMATS) + r")(?![a-z0-9])", normalize(text))
    return m.group(1) if m else None


def parse_quality(text: str) -> str | None:
    """`high`, `standard` or `draft` when the text names a quality."""
    low = normalize(text)
    if re.search(r"\b(draft|preview|low|fast|quick)\b|草稿|预览|低质量|快速", low):
        return "draft"
    if re.search(r"\b(standard|medium|normal)\b|标准|普通", low):
        return "standard"
    if re.search(r"\b(high|best|max|maximum|hq|top)\b|高质量|最高|最好|高画质", low):
        return "high"
    return None


def parse_export(text: str, default_format: str = "mp4") -> dict[str, str]:
    """`{"format": ..., "quality": ...}` for an export request (defaults mp4, high)."""
    low = normalize(text)
    fmt = parse_file_format(text)
    if fmt is None and re.search(r"extract (?:the )?audio|audio only|just the audio|(?:as|an?) audio(?: file)?\b|"
                                 r"(?:need|want|only) the (?:audio|sound)\b|只要声音|只要音轨|只需要音频|"
                                 r"提取音频|只要音频|导出音频|(?:导出|转|存)[成为]?音频|音频文件", low):
        fmt = "mp3"
    elif fmt is None and re.search(r"\b(?:thumbnail|still|poster|screenshot|cover image|frame grab)\b|封面|截图|缩略图|海报",
                                   low):
        fmt = "jpg"
    return {"format": fmt or default_format, "quality": parse_quality(text) or "high"}
