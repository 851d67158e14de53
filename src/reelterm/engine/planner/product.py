"""What a product IS, from its description: the head noun phrase the title card's picture shows.

"Brewlab is a smart coffee scale that times your pour" -> "smart coffee scale"; "Zest Juice Bar —
cold-pressed juices delivered across Brooklyn" -> "cold-pressed juices"; "小暖是一款智能保温杯" ->
"智能保温杯". The picture of the title card is chosen from this before any incidental word
(a delivery truck for "delivered").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reelterm.engine.planner.cuts import CONJUNCTIONS, PREPOSITIONS, clean
from reelterm.engine.planner.sentences import is_cjk

_ARTICLE = r"(?:a|an|the|your|our|their|its)"
_END_NP = PREPOSITIONS | CONJUNCTIONS | {"is", "are", "was", "that", "which", "who", "to", "—", "-", "–"}
_LEAD = re.compile(r"^(?:meet|introducing|presenting|say hello to|discover)\s+", re.IGNORECASE)
_ZH_KIND = re.compile(r"(?:一款|一个|一家|一台|一种|一支|一部|一套|一只|一间|一所|一位|一座)"
                      r"([^，,。！？!?；;：:]{2,16}?)(?=[，,。！？!?；;：:]|让|帮|能|可以|$)")
_ZH_QUOTED = re.compile(r"^([^「《“\"，,。]{2,10})[「《“\"][^」》”\"]{1,20}[」》”\"]")
_ZH_IS = re.compile(r"是(?:一款|一个|一家|一台|一种|一支|一部|一套|一只|一间|一所|一座)?([^，,。！？!?；;：:]{2,12})")


def _np(words: list[str]) -> str:
    """The noun phrase these words open with: up to a preposition, relative word or a participle."""
    out: list[str] = []
    for i, word in enumerate(words):
        low = clean(word).lower()
        if not low or low in _END_NP:
            break
        if out and i >= 1 and re.search(r"(?:ed|ing)$", low) and len(out) >= 1 and not word.endswith(","):
            # "juices delivered across…", "app helping…": a participle after the head ends the phrase
            if not re.search(r"-(?:ed|ing)$", low) and low not in ("bed", "red", "seed", "feed", "wing", "ring",
                                                                  "king", "spring", "string", "ceiling", "clothing",
                                                                  "bedding", "pudding", "dressing", "wedding"):
                break
        out.append(clean(word))
        if word.endswith((",", ";", ":", ".")) or len(out) >= 5:
            break
    return " ".join(out)


def product_thing(sentences: Sequence[str], name: str = "") -> str:
    """The noun phrase that says what the product is ("" when the text does not say it plainly)."""
    for sentence in sentences[:2]:
        found = _thing_zh(sentence, name) if is_cjk(sentence) else _thing_en(sentence, name)
        if found:
            return found
    return ""


def _thing_en(sentence: str, name: str) -> str:
    body = _LEAD.sub("", sentence.strip())
    if name and body.lower().startswith(("the " + name.lower(), name.lower())):
        body = body[body.lower().find(name.lower()) + len(name):]
        m = re.match(r"^\s*(?:,|—|–|-|:|\s+(?:is|are)|\s+(?:is|are)\s+(?:the|a|an)\s+\w+\s+of)\s+(?:" + _ARTICLE
                     + r"\s+)?(.+)$", body, re.IGNORECASE | re.DOTALL)
        if m:
            return _np(m.group(1).split())
        return ""
    m = re.match(r"^(?:\S+\s+){0,3}?(?:is|are)\s+" + _ARTICLE + r"\s+(.+)$", body, re.IGNORECASE)
    if m:  # "Brewlab is a smart coffee scale that…" (a name the headline did not find)
        return _np(m.group(1).split())
    m = re.match(r"^[^,—–:]{2,30}?(?:,|\s+[—–-]|:)\s+(?:" + _ARTICLE + r"\s+)?(.+)$", body, re.IGNORECASE)
    if m and body[:1].isupper():  # "Fernly, the plant subscription for…", "Zest — cold-pressed juices"
        thing = _np(m.group(1).split())
        if thing:
            return thing
    m = re.match(r"^" + _ARTICLE + r"\s+(.+)$", body, re.IGNORECASE)
    if m:  # "A smart water bottle that keeps drinks cold."
        thing = _np(m.group(1).split())
        return thing if len(thing.split()) >= 1 and not thing.lower().startswith(("new ", "way ")) else ""
    return ""


def _thing_zh(sentence: str, name: str) -> str:
    m = _ZH_QUOTED.match(sentence.strip())
    if m:  # "智能保温杯「小暖」全新上市"
        return m.group(1)
    m = _ZH_KIND.search(sentence)
    if m:  # "一款专为跑者设计的跑鞋" -> "跑鞋"
        return m.group(1).rsplit("的", 1)[-1]
    if name and name in sentence:
        m = _ZH_IS.search(sentence[sentence.find(name) + len(name):])
        if m:
            return m.group(1)
    return ""


_GENERIC = {"app", "tool", "service", "platform", "kit", "subscription", "station", "system", "company", "shop",
            "store", "brand", "range", "set", "box", "solution", "product", "device", "line", "club", "studio",
            "bar", "maker", "machine", "gadget", "assistant", "manager", "tracker", "planner", "companion",
            "delivery", "program", "programme", "course", "series", "collection", "marketplace", "network"}
"""Head nouns that say little alone: the word before them says what ("meal kit", "weather station")."""


def thing_asks(thing: str) -> list[str]:
    """What to look a product's picture up by: its head noun, or the word before a generic one ("meal
    kit" -> "meal"). Its other modifiers are not asked ("travel stroller" is no airplane): where the head
    has no picture, the tagline (which says whom it is for) is the better guess."""
    if not thing:
        return []
    if is_cjk(thing):
        return [thing] + ([thing[-2:]] if len(thing) > 3 else [])
    words = [w for w in thing.split() if w]
    if words[-1].lower().rstrip("s") in _GENERIC and len(words) >= 2:
        return [words[-2]]
    return [words[-1]]
