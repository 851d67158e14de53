"""Values in a chat instruction that are out of any allowed range, said instead of silently replaced.

The number readers (`planner.numbers`) read "-5 s" as 5 s, "1e308 s" as 308 s and drop "900%";
`out_of_range` is asked first and names the value and the range reelterm allows. Only the
instruction is judged: quoted text, the words after "to:" and long pasted content are not.
"""

from __future__ import annotations

import re

MAX_PERCENT = 200
"""The loudest volume reelterm sets (200%)."""
MAX_TIME_S = 4 * 3600
"""The latest time or longest length any timeline may have (4 hours)."""
MAX_INSTRUCTION_CHARS = 240
"""Longer messages are content (a script, a product text), whose numbers are not settings."""

_UNIT = r"(?:milliseconds?|ms|seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|秒钟|秒|分钟|小时)(?![a-z])"
_NUMBER = r"\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?"
_MINUS = "-\u2212\u2013"
_VOLUME = re.compile(r"volume|music|sound|audio|voice|narration|loud|quiet|bgm|track|segment|音量|音乐|声音|配音",
                     re.IGNORECASE)
_SPEED = re.compile(r"\b(?:speed|faster|slower|pace|tempo|rate)\b|语速|速度", re.IGNORECASE)
_PERCENT = re.compile(rf"(?<![0-9A-Za-z_.])([{_MINUS}]\s*)?({_NUMBER})\s*(?:%|percent\b|per cent\b)", re.IGNORECASE)
_TIME = re.compile(rf"(?<![0-9A-Za-z_.{_MINUS}])([{_MINUS}]\s*)?({_NUMBER})\s*-?\s*({_UNIT})", re.IGNORECASE)
_TEXT_PART = re.compile(r"(?:\bto:|：|:\s).*$|\"[^\"]*\"|“[^”]*”|「[^」]*」|'[^']*'", re.DOTALL)
_CANVAS = re.compile(r"\s*(?:,\s*)?(?:\b(?:in|at|as|with|sized?|size|canvas|resolution)\s+)?\(?"
                     r"\b\d{2,5}\s*[x×*]\s*\d{2,5}\b(?:\s*(?:px|pixels)\b)?\)?", re.IGNORECASE)


def _instruction(message: str) -> str:
    """The part of `message` that gives settings (quoted text and "to: …" text removed)."""
    return _TEXT_PART.sub(" ", message)


def _seconds(value: float, unit: str) -> float:
    unit = unit.lower()
    if unit.startswith(("ms", "milli")):
        return value / 1000
    if unit.startswith(("min", "分")):
        return value * 60
    if unit.startswith(("h", "小时")):
        return value * 3600
    return value


def out_of_range(message: str, zh: bool = False) -> str | None:
    """A sentence naming a value of the instruction outside its allowed range, or None.

    Volumes past 0-200% and negative or exponent-written times are caught here; plain times past
    what a command allows (a video longer than 30 minutes) are refused by the command itself.
    """
    if len(message) > MAX_INSTRUCTION_CHARS:
        return None
    text = _instruction(message)
    if _VOLUME.search(text) and not _SPEED.search(text):  # a speed's range is the command's own
        for m in _PERCENT.finditer(text):
            shown = m.group(0).strip()
            value = float(m.group(2).replace(",", "."))
            if m.group(1) or value > MAX_PERCENT:
                if zh:
                    return f"{shown} 超出了音量的范围（0% 到 {MAX_PERCENT}%），所以没有改动。请给一个这个范围内的值。"
                return (f"{shown} is outside the volume range reelterm allows (0% to {MAX_PERCENT}%), so nothing "
                        "was changed. Give a value in that range.")
    for m in _TIME.finditer(text):
        shown = m.group(0).strip()
        number = m.group(2).replace(",", ".")
        if m.group(1):
            if zh:
                return f"{shown} 是负的时间；时间和长度从 0 秒算起，所以没有改动。"
            return (f"{shown} is a negative time; times and lengths start at 0 s, so nothing was changed. "
                    "Give a value of 0 or more.")
        if "e" in number.lower():  # the number readers would take "1e308 s" for "308 s"
            if _seconds(float(number), m.group(3)) <= MAX_TIME_S:
                return (f"{shown}: write times as plain numbers (seconds or minutes), so nothing was changed."
                        if not zh else f"{shown}：请用普通数字写时间（秒或分钟），所以没有改动。")
            if zh:
                return f"{shown} 超出了允许的范围（0 秒到 4 小时），所以没有改动。"
            return (f"{shown} is outside the range reelterm allows for a time or a length (0 s to 4 hours), "
                    "so nothing was changed.")
    return None


def without_canvas_size(text: str) -> str:
    """`text` without a canvas size written in it ("… in 320x180", "(1080x1920 px)"), which is a
    setting for the picture, never words for a title or a scene."""
    if not _CANVAS.search(text):
        return text.strip()  # line breaks mark a heading line ("Zest Juice Bar⏎⏎Cold-pressed juice…"): kept
    lines = (" ".join(line.split()) for line in _CANVAS.sub(" ", text).splitlines())
    return "\n".join(lines).strip()
