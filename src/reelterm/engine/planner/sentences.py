"""Sentences, calls to action and reading time, for English and Chinese text."""

from __future__ import annotations

import re

from reelterm.engine.planner.cuts import CONJUNCTIONS, PREPOSITIONS, WEAK_END

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
_ABBREV = ("e.g.", "i.e.", "etc.", "vs.", "mr.", "mrs.", "ms.", "dr.", "inc.", "ltd.", "co.", "no.",
           "st.", "jr.", "sr.", "approx.", "u.s.")
_CTA_EN = re.compile(
    r"^(?:order|buy|shop|try|get|visit|download|sign up|join|call|book|subscribe|start|discover|"
    r"learn more|find out|grab|claim|reserve|register|contact|follow|check out|don't miss|"
    r"available (?:now|today)|now available|pre-?order)\b", re.IGNORECASE)
_CTA_ZH = re.compile(r"^(?:立即|马上|现在就?|快来|赶快|赶紧|欢迎|扫码|点击|关注|下载|购买|预订|预约|订购|抢购|了解更多|访问|联系)")
_URL = re.compile(r"(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|ai|co|cn|app|shop|store)(?:/\S*)?", re.IGNORECASE)

READ_CPS_LATIN = 15.0
"""Reading speed for Latin text, characters per second (about 180 words a minute)."""
READ_CPS_CJK = 6.0
"""Reading speed for Chinese text, characters per second."""


def is_cjk(text: str) -> bool:
    """True when the text has CJK characters."""
    return bool(_CJK.search(text))


def cjk_share(text: str) -> float:
    """The share of CJK among the text's non-space characters."""
    chars = [c for c in text if not c.isspace()]
    return sum(1 for c in chars if _CJK.match(c)) / len(chars) if chars else 0.0


def split_sentences(text: str) -> list[str]:
    """Sentences of English or Chinese text; keeps decimals ("4.5") and abbreviations whole."""
    text = text.replace("\r", "\n")
    # an inline numbered list ("Title: 5 tips. 1. Keep a schedule. 2. Avoid screens.") is one item a line
    text = re.sub(r"(?:(?<=[.!?:])|(?<=^))\s*\b\d{1,2}[.)]\s+(?=[A-Z\u3400-\u9fff])", "\n", text)
    pieces: list[str] = []
    for para in re.split(r"\n\s*\n|\n(?=\s*[-•*\d])|\n", text):
        para = re.sub(r"^\s*(?:[-•*]|\d+[.)、])\s*", "", para).strip()
        if not para:
            continue
        start = 0
        for m in re.finditer(r"[。！？!?；;…]+[”」』\"')）]*|\.(?:\.\.)?[”\"')]*(?=\s|$)", para):
            chunk = para[start:m.end()].strip()
            if m.group(0).startswith(".") and chunk.lower().endswith(_ABBREV) and m.end() < len(para):
                continue
            if chunk:
                pieces.append(chunk)
            start = m.end()
        tail = para[start:].strip()
        if tail:
            pieces.append(tail)
    merged: list[str] = []
    for piece in pieces:
        if merged and _tiny(piece):
            merged[-1] = _join(merged[-1], piece)
        elif merged and _tiny(merged[-1]) and not _is_heading(merged[-1]):
            merged[-1] = _join(merged[-1], piece)
        else:
            merged.append(piece)
    return merged


LONGEST_SENTENCE_MS = 10_000
"""A "sentence" that takes longer than this to read (text pasted without full stops) is split at its clause
breaks, so each piece is a scene that can be read before its cut."""


def readable_pieces(sentences: list[str]) -> list[str]:
    """The sentences, with any too long to read in one scene split into pieces at clause breaks or words."""
    out: list[str] = []
    for sentence in sentences:
        if reading_ms(sentence) <= LONGEST_SENTENCE_MS:
            out.append(sentence)
            continue
        limit = int(LONGEST_SENTENCE_MS / 1000 * (READ_CPS_CJK if cjk_share(sentence) > 0.3 else READ_CPS_LATIN) * 0.8)
        out += [p.strip(" ,，、;；:：") for p in caption_chunks(sentence, limit) if p.strip(" ,，、;；:：")]
    return out


def _tiny(sentence: str) -> bool:
    if is_cjk(sentence):
        return len(re.sub(r"\W", "", sentence)) < 3
    return len(sentence.split()) < 2 and len(sentence) < 12


def _is_heading(sentence: str) -> bool:
    return not re.search(r"[.。!！?？;；…]$", sentence)


def _join(a: str, b: str) -> str:
    return a + b if is_cjk(a[-1:] + b[:1]) else f"{a} {b}"


def reading_ms(text: str) -> int:
    """How long an average reader needs for the text, in ms (at least 1.2 s)."""
    cjk = sum(1 for c in text if _CJK.match(c))
    latin = len(re.sub(r"\s+", " ", _CJK.sub("", text)).strip())
    return max(1200, round((cjk / READ_CPS_CJK + latin / READ_CPS_LATIN) * 1000))


def is_cta(sentence: str) -> bool:
    """True when the sentence reads as a call to action ("Order today.", "立即购买！", a URL)."""
    s = sentence.strip().strip("\"'“”「」")
    return bool(_CTA_EN.match(s) or _CTA_ZH.match(s) or _URL.search(s)) and len(s) <= 120


def default_cta(name: str, zh: bool) -> str:
    """An end card when the text has no call to action of its own; `name` is "" when none is known."""
    if zh:
        return f"立即体验{name}" if name and len(name) <= 10 else "立即了解更多"
    return f"Get {name} today" if name and len(name.split()) <= 4 else "Learn more today"


def _word_cut(part: str, limit: int) -> str:
    """The head of `part` up to `limit` characters, cut before a preposition or conjunction when one
    is in its second half, and never after one ("Order by 8pm for" / "next-day delivery")."""
    head = part[:limit + 1]
    spaces = [i for i, ch in enumerate(head) if ch == " " and i <= limit]
    starts = [i for i in spaces if i >= limit // 2 and head[i + 1:].split(" ", 1)[0].lower() in PREPOSITIONS | CONJUNCTIONS
              and head[:i].rsplit(" ", 1)[-1].lower().strip(",;:") not in WEAK_END]
    if starts:
        return part[:starts[-1]]
    cut = part[:spaces[-1]] if spaces else part[:limit]
    while " " in cut and cut.rsplit(" ", 1)[1].lower().strip(",;:") in WEAK_END:
        cut = cut.rsplit(" ", 1)[0]
    return cut


def caption_chunks(sentence: str, max_chars: int | None = None) -> list[str]:
    """A sentence in pieces short enough for a two-line caption, split at clause breaks or words."""
    cjk = cjk_share(sentence) > 0.3  # a Chinese word in English text: still cut between words
    limit = max_chars or (32 if cjk else 90)
    if len(sentence) <= limit:
        return [sentence]
    parts = re.split(r"(?<=[，,、；;：:])\s*", sentence)
    chunks: list[str] = []
    for part in parts:
        if chunks and len(chunks[-1]) + len(part) + 1 <= limit:
            chunks[-1] = _join(chunks[-1], part) if not cjk else chunks[-1] + part
            continue
        while len(part) > limit:
            if cjk:
                chunks.append(part[:limit])
                part = part[limit:]
            else:
                cut = _word_cut(part, limit)
                chunks.append(cut)
                part = part[len(cut):].strip()
        if part:
            chunks.append(part)
    return chunks
