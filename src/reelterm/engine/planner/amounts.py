"""Direction and degree of a change as people say it: "a bit louder", "it drags", "twice as long", "太吵"."""

from __future__ import annotations

import re

from reelterm.engine.planner.numbers import normalize

_SMALL = r"\b(?:a (?:little )?bit|a little|slightly|a touch|a tad|somewhat|marginally)\b|一点|一些|稍微|稍|略|有点"
_LARGE = (r"\b(?:much|a lot|lots|way|far|significantly|a great deal|loads|tons|really|super|waaa*y)\b"
          r"|很多|好多|大幅|非常|多一些|得多|太多")
_NUM = r"\d+(?:\.\d+)?"
_SEC = r"(?:seconds?|secs?|s|秒钟|秒)"
_MIN = r"(?:minutes?|mins?|分钟)"


def degree(text: str) -> float:
    """How big a change the words ask for: 0.5 for "a bit", 2 for "much", else 1."""
    low = normalize(text)
    if re.search(_LARGE, low):
        return 2.0
    if re.search(_SMALL, low):
        return 0.5
    return 1.0


# ---- volume ----------------------------------------------------------------------------------

_UP_COMPLAINT = (r"too (?:quiet|soft|low|faint)|can'?t hear|cannot hear|can not hear|barely hear|hardly hear|"
                 r"hard to hear|inaudible|not loud enough|drowned out|听不[见清到]|太小声|声音太小|太轻|听不太|太安静")
_DOWN_COMPLAINT = (r"too loud|\bloud\b(?!er)|drown(?:s|ing)?(?! out\b.*\bmusic)|overpower\w*|blast\w*|deafening|"
                   r"ear ?rape|too much music|太吵|吵|太大声|声音太大|太响")
_UP = (r"\b(?:louder|up|raise|increase|boost|higher|pump|crank|more volume|amp)\b|大声|调高|提高|响一点|响一些|大一点|大一些|"
       r"大些|大点|响点|高一点|高一些|加大|调大")
_DOWN = (r"\b(?:quieter|quiet|softer|down|lower|decrease|reduce|less|tone down|duck)\b|小声|调低|降低|轻一点|小一点|"
         r"减小|调小|轻点|小一些|小些|小点|低点|轻一些|低一点|低一些|压低|压小|放低|调轻")


def volume_direction(text: str) -> int:
    """+1 when the words ask for louder (or complain it is too quiet), -1 for quieter, else 0."""
    low = normalize(text)
    if re.search(_UP_COMPLAINT, low):
        return 1
    if re.search(_DOWN_COMPLAINT, low):
        return -1
    up, down = re.search(_UP, low), re.search(_DOWN, low)
    if up and not down:
        return 1
    if down and not up:
        return -1
    if up and down:
        return 1 if up.start() < down.start() else -1
    return 0


_DB = re.compile(rf"([+\-\u2212]?)\s*({_NUM})\s*(?:db\b|decibels?\b|分贝)", re.IGNORECASE)


def volume_decibels(text: str) -> float | None:
    """A change in dB the words ask for ("-6 dB", "down by 3dB", "调低6分贝" -> -6/-3/-6), or None."""
    m = _DB.search(normalize(text))
    if m is None:
        return None
    sign = -1 if m.group(1) in ("-", "\u2212") else 1 if m.group(1) == "+" else volume_direction(text)
    return sign * float(m.group(2)) if sign else None


def volume_change(text: str, current: float, absolute: float | None = None) -> float | None:
    """The new volume: a relative request ("half as loud", "louder by 10%"), else `absolute` (a value the
    text names, "to 20%"), else a direction ("a bit quieter", "can't hear it"); None when there is none."""
    low = normalize(text)
    m = re.search(rf"({_NUM}|twice|two|three|half)\s*(?:times\s*)?as loud|\b(double|halve)\b|减半|(两|2)倍|大声[一1]倍|大[一1]倍|翻倍", low)
    if m:
        word = m.group(0)
        factor = (0.5 if re.search(r"half|halve|一半|减半", word) else 2.0 if re.search(r"twice|double|two|两|2倍", word)
                  else float(m.group(1)) if m.group(1) and re.fullmatch(_NUM, m.group(1)) else 2.0 if re.search(r"[一1]倍|翻倍", word) else 3.0)
        return current * factor
    decibels = volume_decibels(text)
    if decibels is not None:
        return current * 10 ** (decibels / 20)
    m = re.search(rf"({_NUM})\s*(?:%|percent)\s*(louder|quieter|softer|lower|higher)", low)
    if m:
        pct = float(m.group(1)) / 100
        return current * (1 + pct if m.group(2) in ("louder", "higher") else max(0.0, 1 - pct))
    m = re.search(rf"by ({_NUM})\s*(?:%|percent|个百分点)|(?:调高|提高|调低|降低|加大|减小)({_NUM})\s*%", low)
    sign = volume_direction(text)
    if m and sign:
        return current + sign * float(m.group(1) or m.group(2)) / 100
    if absolute is not None:
        return absolute
    if not sign:
        return None
    size = degree(text)
    if sign > 0:
        return max(current * (1 + 0.5 * size), current + 0.1 * size)
    return current * max(0.0, 1 - 0.4 * size)


# ---- length ----------------------------------------------------------------------------------

_SHORTER = (r"\b(?:shorter|shorten|too long|too slow|speed (?:it |this |things )?up|drags?|dragging|boring|tighten|tighter|snappier|quicker|faster paced|"
            r"trim it down|cut it down|less long)\b|节奏太?慢|太慢了|太长|短一点|缩短|拖沓|太拖|拖|短些|精简")
_LONGER = (r"\b(?:longer|lengthen|too short|extend it|more time|stretch|too fast|too quick(?:ly)?|goes by|go by|"
           r"fl(?:y|ies) by|rushed)\b|太短|长一点|加长|延长|长些|太快|有点快|过快|看不过来|来不及看|有点赶|太赶|放慢|慢一点|慢点")


def length_change(text: str, total_ms: int, absolute: int | None = None) -> int | None:
    """The new length: a relative request ("10 seconds shorter", "twice as long"), else `absolute` (a
    length the text names), else a direction ("it drags", "a bit longer"); None when there is none."""
    low = normalize(text)
    m = re.search(rf"({_NUM})\s*-?\s*({_SEC}|{_MIN})(?![a-z])\s*(?:shorter|less|fewer|off\b(?!\s+(?:at|from)\b))|(?:shorten|cut|trim)\w*\s*(?:it\s*)?by\s*"
                  rf"({_NUM})\s*({_SEC}|{_MIN})(?![a-z])|缩短\s*({_NUM})\s*({_SEC}|{_MIN})|短\s*({_NUM})\s*({_SEC}|{_MIN})", low)
    if m:
        value, unit = next((m.group(i), m.group(i + 1)) for i in (1, 3, 5, 7) if m.group(i))
        return total_ms - _ms(value, unit)
    m = re.search(rf"({_NUM})\s*-?\s*({_SEC}|{_MIN})(?![a-z])\s*(?:longer|more|extra)|(?:lengthen|extend)\w*\s*(?:it\s*)?by\s*"
                  rf"({_NUM})\s*({_SEC}|{_MIN})(?![a-z])|(?:加长|延长|增加)\s*({_NUM})\s*({_SEC}|{_MIN})", low)
    if m:
        value, unit = next((m.group(i), m.group(i + 1)) for i in (1, 3, 5) if m.group(i))
        return total_ms + _ms(value, unit)
    m = re.search(rf"({_NUM})\s*%\s*(shorter|longer)|(?:shorten|cut|trim|lengthen|extend)\w*\s*(?:it\s*)?by\s*({_NUM})\s*%", low)
    if m:
        pct = float(m.group(1) or m.group(3)) / 100
        grow = (m.group(2) == "longer") if m.group(2) else bool(re.search(r"lengthen|extend", m.group(0)))
        return round(total_ms * (1 + pct if grow else 1 - pct))
    m = re.search(rf"(twice|double|two times|half|({_NUM})\s*(?:times|x|×))\s*(?:as long|the length|the duration|longer)|"
                  r"\b(?:double|halve) (?:it|the length|the video)|长度?减半|时长减半|一半的?长度|缩短一半|减少一半|短一半|两倍长|加倍|时长翻倍|长度翻倍|(?:长度|时长)?(?:变成|改成|变为|改为|延长到|拉长到)?[两2]倍", low)
    if m:
        word = m.group(0)
        if re.search(r"half|halve|减半|一半", word):
            return round(total_ms * 0.5)
        if m.group(2):
            return round(total_ms * float(m.group(2)))
        return total_ms * 2
    if absolute is not None:
        return absolute
    shorter, longer = re.search(_SHORTER, low), re.search(_LONGER, low)
    if bool(shorter) == bool(longer):
        return None
    size = degree(text)
    factor = 1 - 0.25 * size if shorter else 1 + 0.25 * size
    return round(total_ms * factor / 500) * 500


def _ms(value: str, unit: str) -> int:
    return round(float(value) * (60_000 if re.fullmatch(_MIN, unit) else 1000))
