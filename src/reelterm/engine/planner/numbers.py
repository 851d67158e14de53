"""Numbers, times and percentages as people write them, in English and Chinese."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万]+(?:点[零〇一二三四五六七八九]+)?")

_EN_ONES = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
            "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
            "nineteen": 19}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
            "eighty": 80, "ninety": 90}
_EN_WORD = "|".join(sorted([*_EN_ONES, *_EN_TENS], key=len, reverse=True))
_EN_RUN = re.compile(
    rf"\b(?:(?:{_EN_WORD})(?:[\s-]+(?:{_EN_WORD}))*(?:\s+hundred(?:\s+(?:and\s+)?(?:{_EN_WORD})(?:[\s-]+(?:{_EN_WORD}))?)?)?)\b",
    re.IGNORECASE)

_NUM = r"\d+(?:\.\d+)?"
_SEC = r"(?:seconds?|secs?|s|秒钟|秒)"
_MIN = r"(?:minutes?|mins?|分钟|分)"
_HOUR = r"(?:hours?|hrs?|小时|钟头)"
_MS = r"(?:milliseconds?|ms|毫秒)"


def zh_number(run: str) -> float | None:
    """The value of a run of Chinese numerals ("三十五" -> 35, "一点五" -> 1.5), or None."""
    whole, _, frac = run.partition("点")
    total = 0
    section = 0
    digit: int | None = None
    for ch in whole:
        if ch in _ZH_DIGITS:
            if digit is not None and ch not in "零〇":  # digit strings like 一二〇
                digit = digit * 10 + _ZH_DIGITS[ch]
            else:
                digit = _ZH_DIGITS[ch] if ch not in "零〇" or digit is None else digit * 10
        elif ch in _ZH_UNITS:
            section += (1 if digit is None else digit) * _ZH_UNITS[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            return None
    value: float = total + section + (digit or 0)
    if frac:
        value += float("0." + "".join(str(_ZH_DIGITS[c]) for c in frac))
    return value


def en_number(run: str) -> int | None:
    """The value of English number words ("thirty-five" -> 35, "one hundred and twenty" -> 120)."""
    total = 0
    current = 0
    for word in re.split(r"[\s-]+", run.lower()):
        if word in ("and", ""):
            continue
        if word in _EN_ONES:
            current += _EN_ONES[word]
        elif word in _EN_TENS:
            current += _EN_TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        else:
            return None
    return total + current


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def normalize(text: str) -> str:
    """Lower-case text with every written number turned into digits, for parsing only.

    Full-width digits, Chinese numerals ("三十秒" -> "30秒", "百分之三十五" -> "35%"), English number
    words ("thirty" -> "30"), and phrases like "half a minute" / "半分钟" / "一分半" become plain
    numbers with units.
    """
    out = text.translate(str.maketrans("０１２３４５６７８９％：．～－", "0123456789%:.~-")).lower()
    out = re.sub(r"(?:half a minute|half-minute|half minute|30 secs?\b)", "30 seconds", out)
    out = re.sub(r"\b(?:a|one) minute and a half\b|\b(?:one|1) and a half minutes?\b", "90 seconds", out)
    out = re.sub(r"\ba quarter (?:of a )?minute\b", "15 seconds", out)
    out = re.sub(r"\b(?:a|one)[\s-]minute\b", "60 seconds", out)
    out = out.replace("百分之", "\x00")
    out = re.sub(r"(?:半分钟|半分)", "30秒", out)
    out = re.sub(r"([零〇一二两三四五六七八九十\d]+)分(?:钟)?半", lambda m: f"{m.group(1)}分30秒", out)

    def zh(match: re.Match[str]) -> str:
        run = match.group(0)
        after = out[match.end():match.end() + 1]
        # a lone 一 before non-units is an article ("一下", "一点", "一些"), not a number
        if run == "一" and after not in "秒分个段号张幕场镜倍帧条处句遍次%到至-~":
            return run
        if run.startswith("一点") and not re.fullmatch(r"一点[零〇一二三四五六七八九]+", run):
            return run
        value = zh_number(run)
        return run if value is None else _fmt(value)

    out = _ZH_RUN.sub(zh, out)
    out = re.sub(r"\x00\s*(\d+(?:\.\d+)?)", r"\1%", out).replace("\x00", "百分之")

    def en(match: re.Match[str]) -> str:
        value = en_number(match.group(0))
        return match.group(0) if value is None else str(value)

    out = _EN_RUN.sub(en, out)
    out = re.sub(r"\b(\d+)\s+and\s+a\s+half\b", lambda m: f"{int(m.group(1))}.5", out)
    return space_scripts(out)


def space_scripts(text: str) -> str:
    """Put a space between CJK characters and Latin letters, so `\\b` works on "导出为webm"."""
    return re.sub(r"(?<=[\u3400-\u9fff])(?=[A-Za-z])|(?<=[A-Za-z])(?=[\u3400-\u9fff])", " ", text)


def _seconds(value: str, unit: str) -> float:
    unit = unit.lower()
    if re.fullmatch(_HOUR, unit):
        return float(value) * 3600
    if re.fullmatch(_MIN, unit):
        return float(value) * 60
    if re.fullmatch(_MS, unit):
        return float(value) / 1000
    return float(value)


def parse_duration_ms(text: str) -> int | None:
    """A length written in the text ("30-second", "30s", "1 min 30 s", "1:30", "三十秒") in ms."""
    norm = normalize(text)
    m = re.search(rf"({_NUM})\s*-?\s*{_MIN}\s*(?:and\s*)?({_NUM})\s*-?\s*{_SEC}(?![a-z])", norm)
    if m:
        return round((float(m.group(1)) * 60 + float(m.group(2))) * 1000)
    m = re.search(rf"({_NUM})\s*-?\s*({_MS}|{_HOUR}|{_MIN}|{_SEC})(?![a-z])", norm)
    if m:
        return round(_seconds(m.group(1), m.group(2)) * 1000)
    for m in re.finditer(r"(?<![\d:])(\d{1,2}):([0-5]\d)(?![\d:])", norm):
        if (m.group(1), m.group(2)) not in (("9", "16"), ("16", "10")):  # aspect ratios, not m:ss
            return (int(m.group(1)) * 60 + int(m.group(2))) * 1000
    return None


@dataclass(frozen=True)
class TimeSpan:
    """A time range in ms; `end` None means open ("at 5s"); `from_end` counts back from the end."""

    start: int
    end: int | None
    from_end: bool = False

    def resolve(self, total_ms: int, default_ms: int = 3000) -> tuple[int, int]:
        """Absolute (start, end) in ms on a timeline of `total_ms`."""
        if self.from_end:
            return max(0, total_ms - self.start), total_ms
        end = self.end if self.end is not None else self.start + default_ms
        return self.start, end


_TIME = rf"(?:(\d{{1,2}}):([0-5]\d)|({_NUM}))"


def _time_value(groups: tuple[str | None, ...]) -> float | None:
    mm, ss, plain = groups
    if plain is not None:
        return float(plain)
    if mm is not None and ss is not None:
        return int(mm) * 60 + int(ss)
    return None


def parse_time_span(text: str) -> TimeSpan | None:
    """A time range: "0-3s", "from 2 to 5 seconds", "the first 3 seconds", "0到3秒", "at 5s"."""
    norm = normalize(text)
    unit = rf"\s*({_MS}|{_MIN}|{_SEC})?(?![a-z])"
    sep = r"\s*(?:-|–|—|~|to|until|till|through|and|到|至)\s*(?:第\s*)?"
    m = re.search(rf"(?:from|between|从|在)?\s*(?:第\s*)?{_TIME}{unit}{sep}{_TIME}{unit}", norm)
    if m:
        a, b = _time_value(m.group(1, 2, 3)), _time_value(m.group(5, 6, 7))
        u1, u2 = m.group(4), m.group(8)
        clock = m.group(1) is not None or m.group(5) is not None
        lead = norm[max(0, m.start() - 12):m.start() + 8]
        if a is not None and b is not None and (u1 or u2 or clock or re.search(r"from|between|从", lead)):
            unit_s = u2 or u1 or "s"
            if clock:
                unit_s = "s"
            start, end = _seconds(str(a), u1 or unit_s), _seconds(str(b), unit_s)
            return TimeSpan(round(start * 1000), round(end * 1000))  # callers reject end <= start
    m = re.search(rf"({_NUM})\s*-?\s*({_MS}|{_MIN}|{_SEC})\s+(?:off|from)\s+(?:the\s+)?(end|ending|start|beginning|front)\b", norm)
    if m:
        ms = round(_seconds(m.group(1), m.group(2)) * 1000)
        return TimeSpan(0, ms) if m.group(3) in ("start", "beginning", "front") else TimeSpan(ms, None, from_end=True)
    m = re.search(rf"(?:the\s+)?(first|opening|last|final|前|最后|后|开头|结尾)\s*({_NUM})\s*-?\s*({_MS}|{_MIN}|{_SEC})(?![a-z])", norm)
    if m:
        ms = round(_seconds(m.group(2), m.group(3)) * 1000)
        if m.group(1) in ("first", "opening", "前", "开头"):
            return TimeSpan(0, ms)
        return TimeSpan(ms, None, from_end=True)
    m = re.search(rf"(?:at|from|starting at|after|在|从)\s*(?:第\s*)?({_NUM})\s*({_MS}|{_MIN}|{_SEC})(?![a-z])", norm)
    if m:
        return TimeSpan(round(_seconds(m.group(1), m.group(2)) * 1000), None)
    return None


def parse_percent(text: str) -> float | None:
    """A fraction 0-2 from "35%", "35 percent", "百分之三十五", "half", "0.3 volume"."""
    norm = normalize(text)
    m = re.search(rf"({_NUM})\s*(?:%|percent\b|per cent\b|个百分点)", norm)
    if m:
        value = float(m.group(1)) / 100
        return value if 0 <= value <= 2 else None
    if re.search(r"\bhalf\b|一半|减半", norm):
        return 0.5
    fractions = ((r"\b(?:a|one|1) third\b|[三3]分之[一1]", 1 / 3), (r"\b(?:two|2) thirds\b|[三3]分之[二2]", 2 / 3),
                 (r"\b(?:a|one|1) quarter\b|[四4]分之[一1]", 0.25), (r"\b(?:three|3) quarters\b|[四4]分之[三3]", 0.75))
    for pattern, value in fractions:
        if re.search(pattern, norm):
            return round(value, 3)
    m = re.search(r"(?:volume|音量|music|bgm|song|音乐|配乐)\s*(?:to|at|=|调到|设为|设置为|改为|为)?\s*(0?\.\d+|1\.0|[01])(?![\d%.])", norm)
    if m:
        return float(m.group(1))
    return None


def parse_ordinals(text: str) -> list[int]:
    """Scene numbers as written: "scene 2", "the third scene", "第二个场景", "last" -> -1."""
    norm = normalize(text)
    words = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "last": -1, "final": -1}
    found: list[tuple[int, int]] = []
    for m in re.finditer(r"(?:scenes?|shots?|clips?|slides?|parts?|captions?|subtitles?|titles?|#)\s*"
                         r"(\d+(?:\s*(?:,|，|、|&|and|和)\s*\d+)*)", norm):
        for k, n in enumerate(re.findall(r"\d+", m.group(1))):
            found.append((m.start() + k, int(n)))
    for m in re.finditer(r"\band\s+(\d+)\b", norm):
        found.append((m.start(), int(m.group(1))))
    for m in re.finditer(r"\b(\d+)(?:st|nd|rd|th)\b", norm):
        found.append((m.start(), int(m.group(1))))
    for m in re.finditer(r"第\s*(\d+)\s*(?:个|段|幕|场|张)?", norm):
        found.append((m.start(), int(m.group(1))))
    for m in re.finditer(r"(\d+)\s*号", norm):
        found.append((m.start(), int(m.group(1))))
    for m in re.finditer(r"\b(" + "|".join(words) + r")\b", norm):
        found.append((m.start(), words[m.group(1)]))
    for m in re.finditer(r"最后(?:一)?(?:个|段|幕)?", norm):
        found.append((m.start(), -1))
    out: list[int] = []
    for _, value in sorted(found):
        if value not in out:
            out.append(value)
    return out
