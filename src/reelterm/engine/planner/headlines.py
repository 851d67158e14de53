"""The title card's words, English and Chinese: a product name (never a cut-off sentence) and its tagline."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reelterm.engine.planner.cuts import cut_points, ends_well
from reelterm.engine.planner.cuts_zh import KEY_CHARS
from reelterm.engine.planner.cuts_zh import ZH_ONE as _ZH_ONE
from reelterm.engine.planner.cuts_zh import ZH_SUBJ as _ZH_SUBJ
from reelterm.engine.planner.phrases import (
    _ARTICLE,
    _PRONOUNS,
    _WORDY,
    _cap,
    _clean,
    _fit,
    _trim_cut,
    _words,
    key_phrase,
)
from reelterm.engine.planner.sentences import is_cjk

_LEADS = re.compile(r"^(?:meet|introducing|presenting|say hello to|this is|discover|the new|our new|our|new)\s+",
                    re.IGNORECASE)
_VERBS = {"visit", "try", "get", "order", "buy", "shop", "join", "call", "book", "taste", "enjoy", "experience",
          "welcome", "celebrate", "explore", "find", "see", "choose", "download", "grab", "love"}
_QUOTED_ZH = re.compile(r"[「《“\"]([^」》”\"]{1,20})[」》”\"]")


@dataclass(frozen=True)
class Headline:
    """The title card's words: `title` (a name when `is_name`) and a short `tagline` ("" for none)."""

    title: str
    tagline: str
    is_name: bool


def _heading(text: str, sentences: list[str]) -> str | None:
    first_line = text.strip().splitlines()[0].strip() if text.strip() else ""
    if re.match(r"^(?:[-•*]|\d+[.)、])\s", first_line):  # a list item is a scene, not a heading
        return None
    if first_line and not re.search(r"[.。!！?？;；…]$", first_line) and len(first_line) <= 60 and len(sentences) > 1:
        return first_line.strip("#*: ")
    return None


def _branded(word: str) -> bool:
    """CamelCase, ALL CAPS or a digit inside: "AirBottle", "ACME", "X5"."""
    return bool(re.search(r"[a-z][A-Z]|^[A-Z]{2,}$|[A-Za-z]\d|\d[A-Za-z]", word))


def _capitalised_run(words: list[str]) -> list[str]:
    name: list[str] = []
    for word in words:
        clean = _clean(word)
        if clean and (clean[0].isupper() or (clean[0].isdigit() and name) or _branded(clean)) and len(name) < 5:
            name.append(clean)
            if clean != word.rstrip():
                break
        else:
            break
    return name


def _strip_leads(sentence: str) -> str:
    body = sentence.strip()
    for _ in range(3):
        body = _LEADS.sub("", body)
        body = re.sub(r"^(?:the|a|an)\s+", "", body, flags=re.IGNORECASE)
    return body


def _name_en(text: str, sentences: list[str]) -> str | None:
    first = sentences[0] if sentences else text.strip()
    body = _strip_leads(first)
    m = re.match(r"^(.{2,40}?)(?:\s+(?:is|are)\s+" + _ARTICLE + r"\s|\s*(?:—|–|:)\s*|\s+-\s+)", body)
    if m:
        subject = m.group(1).split()
        if 1 <= len(subject) <= 4 and subject[0][:1].isupper() and _clean(subject[0]).lower() not in _PRONOUNS:
            return " ".join(_clean(w) for w in subject)
    name = _capitalised_run(body.split())
    if len(name) > 1 and name[0].lower() in _VERBS:
        name = name[1:]
    if name and (len(name) > 1 or body != first.strip() or _branded(name[0])):
        return " ".join(name)
    for sentence in sentences:  # a brand named mid-sentence: "Visit Bakery Bob today."
        words = sentence.split()
        for k in range(1, len(words)):
            run = _capitalised_run(words[k:])
            if run and (len(run) > 1 or _branded(run[0])) and run[0] not in ("I", "I'm"):
                return " ".join(run)
    return None


def _tagline_en(sentence: str, name: str) -> str:
    idx = sentence.lower().find(name.lower()) if name else -1
    after = sentence[idx + len(name):] if idx >= 0 else ", " + sentence  # after a heading: "The X that…"
    m = re.match(r"^\s*(?:,|—|–|-|:|\s+(?:is|are))\s+(" + _ARTICLE + r"?\s*[^,;:.!?—–]+)", after, re.I)
    if not m:
        return ""
    whole = m.group(1).strip()
    np = re.split(r"\s+(?:that|which|who|whom|whose|where|to)\s+", whole, maxsplit=1)[0]
    words = _fit(_words(np), 6)
    if np != whole:  # the clause that said who "people" are is gone: do not leave them dangling
        words = _trim_cut(words)
    phrase = " ".join(words)
    return _cap(phrase) if len(words) >= 2 and phrase.lower() != name.lower() else ""


def _name_zh(text: str, first: str) -> tuple[str, str] | None:
    """(name, tagline) of Chinese text: 「quoted」, a leading Latin brand, or the subject before 是."""
    clause = re.split(r"[，,。！？!?；;：:]", first)[0]
    m = _QUOTED_ZH.search(clause)
    if m:  # the words around the name in its clause: "智能保温杯「小暖」全新上市" -> "智能保温杯"
        before = clause[: m.start()].strip()
        after = _ZH_ONE.sub("", re.sub(r"^是", "", clause[m.end():].strip()))
        tag = before if 2 <= len(before) <= KEY_CHARS else after if 2 <= len(after) <= KEY_CHARS else ""
        return m.group(1).strip(), tag
    m = _QUOTED_ZH.search(text)
    if m:
        return m.group(1).strip(), ""
    latin = re.match(r"^([A-Za-z][A-Za-z0-9&'\-]*(?: [A-Z0-9][A-Za-z0-9&'\-]*){0,3})\s*(.*)$", clause)
    if latin and is_cjk(latin.group(2)):
        rest = _ZH_ONE.sub("", re.sub(r"^是", "", latin.group(2)))
        return latin.group(1), rest if len(rest) <= KEY_CHARS else ""
    m = re.match(r"^(.{2,8}?)是(.+)$", clause)
    if m and not _ZH_SUBJ.match(m.group(1)) and not re.search(r"[这那我你他她它]", m.group(1)):
        tag = _ZH_ONE.sub("", m.group(2).strip())
        return m.group(1), tag if len(tag) <= KEY_CHARS + 2 else key_phrase(first)
    return None


def headline(text: str, sentences: list[str]) -> Headline:
    """The title card: a heading line or product name (never a cut-off sentence) and its tagline."""
    head = _headline(text, sentences)
    if not _WORDY.search(head.title):  # text of symbols only: show it as it is
        first = sentences[0] if sentences else text
        return Headline(" ".join(first.split())[:60] or "Video", "", False)
    return head if _WORDY.search(head.tagline) or not head.tagline else Headline(head.title, "", head.is_name)


def _headline(text: str, sentences: list[str]) -> Headline:
    first = sentences[0] if sentences else text.strip()
    heading = _heading(text, sentences)
    if is_cjk(first) or (heading and is_cjk(heading)):
        if heading:
            return Headline(heading, _tagline_zh_next(sentences), True)
        found = _name_zh(text, first)
        if found:
            return Headline(found[0], found[1] if found[1] != found[0] else "", True)
        clause = re.split(r"[，,。！？!?；;：:、]", first)[0].strip()
        title = clause if 2 <= len(clause) <= KEY_CHARS else key_phrase(first)
        return Headline(title or "新品上市", "", False)
    if heading:
        tag = _tagline_en(sentences[1], "") if len(sentences) > 1 else ""
        return Headline(heading, tag if tag.lower() != heading.lower() else "", True)
    quoted = re.search(r"[「《“\"]([^」》”\"]{2,40})[」》”\"]", text)
    name = quoted.group(1).strip() if quoted else _name_en(text, sentences)
    if name:
        tag = next((t for s in sentences[:2] if name.lower() in s.lower() and (t := _tagline_en(s, name))), "")
        return Headline(name, tag or _fallback_tag(first, name), True)
    clause = re.split(r"[,;:—–]|\s-\s", first)[0].rstrip(".!?").strip()
    if len(clause.split()) <= 6 and len(clause) <= 40:  # "Fernly, the plant subscription …"
        tag = _tagline_en(first, clause) if len(clause.split()) <= 3 and clause != first.rstrip(".!?") else ""
        return Headline(_cap(clause), tag, False)
    thing = _described_thing(first)
    if thing:  # "A smart water bottle that keeps drinks cold." -> "Smart water bottle"
        return Headline(thing, "", False)
    return Headline(_title_words(key_phrase(first)), "", False)


def _title_words(phrase: str) -> str:
    """A title card's words: at most six, cut at a phrase boundary when one is near."""
    words = phrase.split()
    if len(words) <= 6:
        return phrase
    points = [k for k in cut_points(words) if k <= 6]
    out = words[:points[-1]] if points else words[:6]
    while len(out) > 2 and not ends_well(out):
        out.pop()
    return " ".join(out)


def _described_thing(sentence: str) -> str | None:
    """The noun phrase a sentence opens with before "that/which/who/with", when it is short."""
    m = re.match(r"^(?:(?:a|an|the|our|my|your|this|new)\s+)*((?:\S+\s+){0,4}?\S+)\s+(?:that|which|who|with)\s",
                 sentence.strip(), re.IGNORECASE)
    if not m:
        return None
    words = [_clean(w) for w in m.group(1).split()]
    if not all(words) or words[0].lower() in _PRONOUNS or words[0].lower() in _VERBS:
        return None
    return _cap(" ".join(words))


def _fallback_tag(first: str, name: str) -> str:
    tag = key_phrase(first, name)
    return tag if tag.lower() != name.lower() and len(tag.split()) >= 2 else ""


def _tagline_zh_next(sentences: list[str]) -> str:
    return key_phrase(sentences[1]) if len(sentences) > 1 else ""
