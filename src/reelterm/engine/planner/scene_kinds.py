"""What kind of scene a sentence makes (feature, list, number, quote), its pictures, motion and transitions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MOTIFS = ("rings", "blobs", "orbit", "arcs", "waves", "dots")
"""Motifs used, in turn, when no picture fits (the renderer draws them: reelterm.media.pictures)."""
TRANSITIONS_BY_MOOD = {
    "calm": ("fade", "smoothleft", "fade", "circleopen"),
    "tender": ("fade", "circleopen", "fade", "smoothright"),
    "nostalgic": ("fadeblack", "fade", "smoothleft"),
    "happy": ("slideleft", "circleopen", "wipeleft", "zoomin", "smoothright"),
    "energetic": ("slideleft", "zoomin", "wipeup", "slideup", "radial", "smoothright"),
}
"""Transitions a video walks through, by mood: soft for calm moods, brisk for lively ones. Never xfade's
`dissolve`: it is a random-pixel dissolve that looks like noise, not an editor's cross-dissolve."""
CALM_TRANSITIONS = ("fade", "fadeblack")
"""What "calmer transitions" switches to."""
ENTRANCES_BY_MOOD = {
    "energetic": ("bounce", "slide", "pop"),
    "happy": ("pop", "bounce", "slide"),
}
_CALM_ENTRANCES = ("pop", "slide")

_PERCENT = r"(?:(?:save|up to|only|just|over|more than|under)\s+)?\d+(?:[.,]\d+)?\s?%(?:\s+(?:off|less|more|faster|cheaper|longer|fewer))?"
_TIMES = r"\d+(?:\.\d+)?\s?[x×]\s+(?:faster|more|longer|better|cheaper|quicker|stronger|brighter|the\s+\w+)"
_PRICE = r"(?:[$€£¥]\s?\d[\d,]*(?:\.\d{1,2})?(?:\s?(?:/|a|per)\s?(?:month|mo|year|yr|week))?)"
_COUNT = (r"\d[\d,]*(?:\.\d+)?\+?\s?(?:k|m|million|billion)?\s+(?:hours?|days?|minutes?|weeks?|months?|years?|"
          r"users|customers|people|cups|countries|cities|stores|reviews|downloads|steps|colours|colors|"
          r"flavou?rs|languages|recipes|grams|miles|km)")
_ZH_NUMBER = (r"\d+(?:\.\d+)?\s?%|[\d一二三四五六七八九十两]+\s?(?:倍|折)|[¥￥]\s?\d+|\d+\s?(?:元|块)|半价|"
              r"[\d一二三四五六七八九十两百千万]+\s?(?:小时|天|分钟|年|万|位用户|个国家)")
_NUMBER = re.compile(rf"{_PERCENT}|{_TIMES}|{_PRICE}|{_COUNT}|{_ZH_NUMBER}", re.IGNORECASE)
_QUOTE = re.compile(r"[“\"「『]([^”\"」』]{12,})[”\"」』]\s*(?:[—–-]{1,2}\s*|,?\s*(?:says|said)\s+)?([^.。!！?？]{0,40})")
_URL = re.compile(r"(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,12}(?:/[\w./%~+-]*)?",
                  re.IGNORECASE)


@dataclass(frozen=True)
class SceneKind:
    """A sentence's layout, its big words (for a number: the number), a smaller line, list items."""

    layout: str
    big: str = ""
    sub: str = ""
    items: tuple[str, ...] = ()


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def list_items(sentence: str) -> list[str]:
    """The items of a sentence that lists three or more short things ("weighs, times and logs"), else []."""
    body = re.sub(r"^[^:：]{0,40}[:：]", "", sentence).strip(" .。!！")
    if "、" in body:
        parts = [p for p in re.split(r"[、，和及与]", body) if p.strip()]
    else:
        parts = [p.strip() for p in re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", body) if p.strip()]
    if len(parts) < 3 or len(parts) > 6:
        return []
    if any(len(p.split()) > 5 or len(p) > 40 for p in parts[1:]):
        return []
    return parts[:3]


def classify(sentence: str) -> SceneKind:
    """The layout a body sentence gets: `quote`, `number`, `list` or `feature`."""
    q = _QUOTE.search(sentence)
    if q and (len(q.group(1).split()) >= 3 or (len(q.group(1)) >= 8 and not q.group(1).isascii())):
        who = q.group(2).strip(" ,—–-")
        return SceneKind("quote", q.group(1).strip(), f"— {who}" if who else "")
    n = _NUMBER.search(sentence)
    if n and not _URL.fullmatch(n.group(0)):
        return SceneKind("number", _cap(n.group(0).strip()))
    items = list_items(sentence)
    if items:
        return SceneKind("list", items=tuple(items))
    return SceneKind("feature")


def split_url(cta: str) -> tuple[str, str]:
    """(call to action without the address, the web address) of an end card's text; "" when none."""
    m = next((m for m in _URL.finditer(cta) if "." in m.group(0) and not m.group(0)[0].isdigit()), None)
    if m is None:
        return cta, ""
    url = m.group(0).rstrip(".")
    before = re.sub(r"(?:^|\s+)(?:at|on|via|from|在)\s*$", "", cta[:m.start()], flags=re.IGNORECASE)
    before = re.sub(r"(?:^|[，,。.!！]\s*)(?:地址|网址|官网|网站|链接|(?:web\s*)?address|website|url|web)\s*[:：]?\s*$", "", before,
                    flags=re.IGNORECASE)  # "欢迎来店品尝，地址：x.cn" -> "欢迎来店品尝"
    rest = " ".join((before + " " + cta[m.end():]).split())
    rest = re.sub(r"\s+(?:at|on|via|from|visit|在)\s*$", "", rest.rstrip(" .。!！:：,，")).strip()
    when = re.search(r"\s+(?:today|now|tonight|this week|soon)$", rest, re.IGNORECASE)
    if when and re.fullmatch(r"visit|go to|see|check out|head to|find us|shop|order", rest[:when.start()].lower()):
        rest = rest[:when.start()]  # "Visit zestjuice.com today": "Visit  today" says nothing either
    rest = _lone_verb(rest) + (when.group(0) if when and rest != _lone_verb(rest) else "")
    if not rest and before != cta[:m.start()]:  # only a label: "网址：abc.cn"
        rest = "访问官网" if re.search(r"[\u3400-\u9fff]", cta) else "Visit us online"
    return rest or cta, url


def _lone_verb(rest: str) -> str:
    """A call to action that was a verb before its address gets an object ("Visit" -> "Visit us online")."""
    lone = rest.lower()  # "Visit zestjuice.com": a lone verb is no call to action on its own
    if lone in ("shop", "order"):
        rest = f"{rest} online"
    elif lone == "more":
        rest = "Learn more"
    elif re.fullmatch(r"visit|go to|see|check out|head to|find us", lone):
        rest = "Visit us online"
    elif lone in ("访问", "登录"):
        rest = "访问官网"
    return rest


def picture_refs(texts: Sequence[str], names: Sequence[str], avoid: Sequence[str] = ()) -> list[str | None]:
    """One library picture (or None) per text from the picker; all None when no picker is installed."""
    try:
        from reelterm.engine.planner.picker import pick_pictures
    except ImportError:
        return [None] * len(texts)
    try:
        return list(pick_pictures(list(texts), avoid=tuple(avoid), names=tuple(names)))
    except (LookupError, ValueError, OSError):
        return [None] * len(texts)


def picture_list(text: str, count: int, names: Sequence[str], avoid: Sequence[str] = ()) -> list[str]:
    """Distinct pictures for the items of a list sentence ([] without a picker)."""
    try:
        from reelterm.engine.planner.picker import pick_many
    except ImportError:
        return []
    try:
        return list(pick_many(text, count, avoid=tuple(avoid), names=tuple(names)))
    except (LookupError, ValueError, OSError):
        return []


def transition_for(mood: str, index: int) -> str:
    """The transition into scene `index` (1-based), varying within a video and chosen by mood."""
    seq = TRANSITIONS_BY_MOOD.get(mood, TRANSITIONS_BY_MOOD["calm"])
    return seq[(index - 1) % len(seq)]


def entrance_for(mood: str, index: int) -> str:
    """How scene `index`'s pictures come in (pop, slide or bounce)."""
    seq = ENTRANCES_BY_MOOD.get(mood, _CALM_ENTRANCES)
    return seq[index % len(seq)]
