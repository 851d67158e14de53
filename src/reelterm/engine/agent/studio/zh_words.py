"""Chinese instruction words as people type them, read in the rules' forms before matching.

Full-width digits, letters and signs ("３０秒", "１：１", "ＭＰ４"), pinyin-input slips ("竖平", "音月"),
colloquial endings ("大点儿") and English words inside Chinese ("mute掉", "undo一下", "1min") are
rewritten only outside quoted text and the text after a colon, so the words to film stay as typed.
"""

from __future__ import annotations

import re

from reelterm.engine.agent.studio.intents import QUOTES, after_colon

_WIDE = {i: i - 0xFEE0 for i in range(0xFF10, 0xFF1A)}  # ０-９
_WIDE.update({i: i - 0xFEE0 for i in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_WIDE.update({i: i - 0xFEE0 for i in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_WIDE.update({0xFF05: ord("%"), 0xFF0E: ord("."), 0x3000: ord(" ")})
_WIDE_COLON = re.compile(r"(?<=\d)\s*[：∶]\s*(?=\d)")
"""A full-width colon between digits ("１：１", "9：16") is a ratio or a time, never a label."""

WORDS: dict[str, str] = {
    # pinyin-input slips of the words the rules look for
    "竖平": "竖屏", "横平": "横屏", "视平": "视频", "视屏": "视频", "音月": "音乐", "音阅": "音乐", "配月": "配乐",
    "背景音月": "背景音乐", "字慕": "字幕", "场京": "场景", "到出": "导出", "导处": "导出", "撤消": "撤销",
    # colloquial forms
    "点儿": "点", "竖着的": "竖屏", "竖着": "竖屏", "横着的": "横屏", "横着": "横屏", "竖起来": "竖屏",
    "弄短点": "短一点", "弄长点": "长一点", "短点": "短一点", "长点": "长一点",
    # English words inside Chinese
    "mute掉": "静音", "undo一下": "撤销", "redo一下": "重做",
}
_WORD = re.compile("|".join(re.escape(w) for w in sorted(WORDS, key=len, reverse=True)))
_MIN = re.compile(r"(?<=\d)\s*(?:mins?|minutes?)(?![a-z])", re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u9fff]")
_SCENE_NUMBER = re.compile(r"(?<!第)(场景|镜头)\s*(\d{1,2})(?![\d.%秒])")
""""场景2" is "第2个场景" (the scene-number reader knows the ordinal form)."""
_WITHIN = re.compile(r"(?:控制|保持|压)在\s*([^，,。；]{1,8}?(?:秒|分钟))\s*(?:以)?内")
""""控制在15秒内" sets the length (not the first 15 seconds)."""


def _rewrite(part: str) -> str:
    part = _WIDE_COLON.sub(":", part.translate(_WIDE))
    part = _WORD.sub(lambda m: WORDS[m.group(0)], part)
    part = _WITHIN.sub(r"缩短到\1", _SCENE_NUMBER.sub(r"第\2个\1", part))
    return _MIN.sub("分钟", part) if _CJK.search(part) else part


def normalize_chinese(message: str) -> str:
    """`message` with full-width forms, slips and mixed words rewritten, outside quotes and colon text."""
    if not _CJK.search(message) and not any(0xFF01 <= ord(c) <= 0xFF5E for c in message):
        return message
    colon = after_colon(message)
    head, tail = (message[: len(message) - len(colon)], colon) if colon else (message, "")
    out, last = [], 0
    for m in QUOTES.finditer(head):
        out.append(_rewrite(head[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(_rewrite(head[last:]))
    return "".join(out) + tail
