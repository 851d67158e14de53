"""On-screen words, English and Chinese: a product name, a tagline, and a short key phrase a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reelterm.engine.planner.cuts import (
    LONG_CHARS,
    LONG_WORDS,
    PREPOSITIONS,
    WHOLE_CHARS,
    WHOLE_WORDS,
    cut_en,
    cut_points,
    ends_well,
    fine,
    second_clause,
)
from reelterm.engine.planner.cuts_zh import KEY_CHARS, key_zh
from reelterm.engine.planner.cuts_zh import ZH_ONE as _ZH_ONE
from reelterm.engine.planner.cuts_zh import ZH_SUBJ as _ZH_SUBJ
from reelterm.engine.planner.sentences import is_cjk

KEY_WORDS = 5
"""The most words a key phrase has (English)."""

_LEADS = re.compile(r"^(?:meet|introducing|presenting|say hello to|this is|discover|the new|our new|our|new)\s+",
                    re.IGNORECASE)
_PRONOUNS = {"it", "it's", "they", "they're", "we", "we're", "we've", "we'll", "you", "you'll", "you're",
             "you've", "this", "that", "these", "those", "he", "she", "i", "i'm", "i've", "there", "here",
             "there's", "here's"}
_AUX = {"will", "can", "also", "now", "even", "always", "just", "really", "simply", "could", "should", "may",
        "might", "then", "still", "is", "are", "was", "were", "be", "does", "do", "finally"}
_BREAKS = {"for", "with", "in", "on", "at", "to", "by", "from", "and", "or", "but", "so", "that", "which", "who",
           "while", "when", "because", "as", "into", "through", "without", "of", "after", "before", "until",
           "than", "if", "where", "whether"}
_WEAK_END = _BREAKS | {"a", "an", "the", "your", "our", "my", "their", "its", "his", "her", "every", "each",
                       "this", "these", "those", "very", "more", "most", "is", "are", "be", "was", "any", "all"}
_LEAD_CLAUSE = {"with", "for", "when", "if", "whether", "after", "before", "because", "although", "while",
                "from", "in", "at", "on", "by", "since", "once", "whenever", "wherever", "as"}
_VERBS = {"visit", "try", "get", "order", "buy", "shop", "join", "call", "book", "taste", "enjoy", "experience",
          "welcome", "celebrate", "explore", "find", "see", "choose", "download", "grab", "love"}
_REL = re.compile(r"(?:^|\b(?:is|are)\s+|,\s+)(?:a|an|the|your|our)\s+[^,;]+?\s+(?:that|which|who)\s+(.+)$",
                  re.IGNORECASE)
_QUOTED_ZH = re.compile(r"[「《“\"]([^」》”\"]{1,20})[」》”\"]")
_WORDY = re.compile(r"\w")
_COPULA = {"is", "are", "was", "were"}
_CLAUSE_CUT = r"(?<!\d),|,(?!\d)|[;:—–]|\s-\s"
"""Where an English clause ends: a comma (not inside 10,000), semicolon, colon or dash."""
_NUMBERS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "twenty",
            "hundred", "thousand", "several", "many", "few", "both", "full", "whole", "extra"}
_ARTICLE = r"(?:a|an|the|your|our)"


@dataclass(frozen=True)
class Headline:
    """The title card's words: `title` (a name when `is_name`) and a short `tagline` ("" for none)."""

    title: str
    tagline: str
    is_name: bool


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _clean(word: str) -> str:
    return word.strip(",.;:!?\"'()“”‘’")


def _words(text: str) -> list[str]:
    return [w for w in text.split() if _clean(w)]


def _fit(words: list[str], limit: int = KEY_WORDS) -> list[str]:
    """At most `limit` words, cut before a preposition or conjunction when one is near."""
    words = [_clean(w) if i == len(words) - 1 else w.rstrip(",;:") for i, w in enumerate(words)]
    if len(words) > limit:
        for k in range(limit, 1, -1):
            if _clean(words[k]).lower() in _BREAKS and _clean(words[k - 1]).lower() not in _WEAK_END:
                return _trim_cut(words[:k])
        words = words[:limit + 1]  # no natural break: one word more reads better than a cut-off
        while len(words) > 2 and (_clean(words[-1]).lower() in _WEAK_END or words[-1].endswith(("ing", "ed"))):
            words.pop()
        return _trim_cut(words)
    while len(words) > 1 and _clean(words[-1]).lower() in _WEAK_END:
        words.pop()
    return words


_GENERIC = {"people", "those", "anyone", "everyone", "everybody", "folks", "someone", "somebody", "users",
            "customers", "others", "ones", "one", "person", "persons", "you", "us", "them", "things",
            "something", "anything", "everything", "places", "times", "ways",
            "owners", "individuals", "humans", "all"}
"""Nouns that say nothing until a clause after them does: "for people [who hike]"."""
_PARTICIPLE = re.compile(r"(?:ing|ed|en)$")


def _verbish(word: str) -> bool:
    """A word used more as a verb than a noun ("holds", "keeps"): a cut phrase should not end on it."""
    from reelterm.media.visuals import not_nouns  # WordNet word classes shipped with the pictures

    verbs = not_nouns()
    return bool(word) and (word in verbs or (word.endswith("s") and word[:-1] in verbs)) and not word.endswith("ing")


def _trim_cut(words: list[str]) -> list[str]:
    """A phrase cut short ends on a whole idea: no dangling "for people", "for those living"."""
    words = list(words)
    while len(words) > 2 and _clean(words[-1]).lower() in _NUMBERS | _WEAK_END:
        words.pop()  # "... holds two [full charges]"
    while len(words) > 3 and _verbish(_clean(words[-1]).lower()) and _clean(words[-2]).lower() not in _WEAK_END:
        words.pop()  # "The power bank holds" -> "The power bank"
    while len(words) > 2 and (_clean(words[-1]).lower() in _WEAK_END
                              or (_PARTICIPLE.search(_clean(words[-1]).lower())
                                  and _clean(words[-2]).lower() not in _WEAK_END | {"is", "are"})):
        words.pop()  # "... for people living" -> "... for people"
    low = [_clean(w).lower() for w in words]
    for k in range(len(words) - 1, 0, -1):  # the last preposition and what follows it
        if low[k] in _BREAKS:
            obj = [w for w in low[k + 1:] if w not in _WEAK_END]
            if k >= 2 and (not obj or all(w in _GENERIC for w in obj)):
                return words[:k]  # "A solar backpack for people" -> "A solar backpack"
            break
    return words


def _strip_subject(words: list[str], name: str) -> list[str]:
    """Drop a leading pronoun or the product's own name, then auxiliaries ("It can", "Brewlab will")."""
    original = words
    name_words = [w.lower() for w in name.split()]
    lowered = [_clean(w).lower() for w in words]
    if name_words:
        for lead in (0, 1):
            n = len(name_words)
            if lowered[lead:lead + n] == name_words and (lead == 0 or lowered[0] in ("the", "our", "your")):
                words = words[lead + n:]
                break
    elif len(words) > 3 and lowered[0] in _DEMONSTRATIVE and _third_person(lowered[2]):
        words = words[2:]  # "This serum brightens dull skin" -> "Brightens dull skin"
    elif lowered and lowered[0] in _PRONOUNS:
        words = words[1:]
    if words and _clean(words[0]).lower() in _PRONOUNS and len(words) > 2:
        words = words[1:]
    while len(words) > 2 and _clean(words[0]).lower() in _AUX:
        words = words[1:]
    if (len(words) >= 2 and _clean(words[0]).lower() in ("are", "is", "am", "was", "were")
            and _clean(words[1]).lower().endswith("ing")):
        return original  # "We are hiring" stays whole: "Are hiring" reads as a question
    return words


_DEMONSTRATIVE = {"this", "these", "that", "those"}


def _third_person(word: str) -> bool:
    """A verb's -s form ("brightens", "keeps")."""
    from reelterm.engine.planner.cuts import _verbs

    return word.endswith("s") and not word.endswith("ss") and word[:-1] in _verbs()


def _copula_rest(words: list[str]) -> list[str] | None:
    """What follows "X is" when the subject is short: "Our beans are roasted daily" -> "roasted daily"."""
    for i, w in enumerate(words[1:5], 1):
        if _clean(w).lower() in {"who", "what", "where", "how", "why", "when"}:
            return None  # "See who is at the door": no subject before the copula
        if _clean(w).lower() in _COPULA:
            rest = words[i + 1:]
            return rest if len(rest) >= 2 else None
        if w.endswith(","):
            return None
    return None


def key_phrase(sentence: str, name: str = "", avoid: str = "") -> str:
    """Big words from a sentence ("It times your bloom, …" -> "Times your bloom"), without `name`, not `avoid`."""
    phrase = _key(sentence.strip(), name)
    if not avoid or phrase.lower() != avoid.lower():
        return phrase
    rest = re.split(r"(?<!\d),|,(?!\d)|[;:—–，；：]", sentence.strip(), maxsplit=1)[1:]
    if rest and len(re.sub(r"\W", "", rest[0])) >= 4:
        other = _key(rest[0].strip(), name)
        if other.lower() != avoid.lower():
            return other
    at = sentence.lower().find(phrase.lower())
    after = sentence[at + len(phrase):].strip(" ,.;:!?。！？") if at >= 0 else ""
    if not is_cjk(after) and re.match(r"(?:that|which|who|whose|where)\b", after, re.IGNORECASE):
        return _whole(sentence, name) or phrase  # "…for dogs [that love to explore]": no subject-less "Love to explore"
    return _key(after, name) if len(after.split()) >= 2 or (is_cjk(after) and len(after) >= 2) else phrase


def _whole(sentence: str, name: str) -> str:
    """The sentence as big words, without its leading name and verb "is", when it fits the layout."""
    words = _words(sentence.strip().rstrip(".!…"))
    if name and [_clean(w).lower() for w in words[:len(name.split())]] == name.lower().split():
        words = words[len(name.split()):]
        if words and _clean(words[0]).lower() in _COPULA:
            words = words[1:]
    text = " ".join(words)
    return _cap(text) if len(words) <= LONG_WORDS and len(text) <= LONG_CHARS and ends_well(words) else ""


def key_phrases(sentence: str, name: str = "", avoid: str = "", most: int = 3) -> list[str]:
    """Up to `most` key phrases, one a clause, in order: "Times your bloom", "Weighs every gram", …"""
    out = [k for k in _key_list(sentence, name, avoid, most) if _WORDY.search(k)]
    return out or [" ".join(sentence.split()[:KEY_WORDS + 1]) or sentence]


def _key_list(sentence: str, name: str, avoid: str, most: int) -> list[str]:
    first = key_phrase(sentence, name, avoid)
    out = [first]

    def add(key: str) -> None:
        size = len(key) if is_cjk(key) else len(key.split())
        low = key.lower()
        if len(out) < most and size >= 2 and low != avoid.lower() and fine(key) and not any(
                low in o.lower() or o.lower() in low for o in out):
            out.append(key)

    if sentence.rstrip().endswith(("?", "？")) or (not is_cjk(sentence) and _REL.search(sentence)):
        return out
    for clause in _clauses(sentence):
        low = clause.strip().lower()
        lead = low.split()[0] if low.split() else ""
        bare = name and re.sub(r"^(?:meet|introducing|the|our)\s+", "", low) == name.lower()
        if low and not bare and lead not in _LEAD_CLAUSE | PREPOSITIONS | _SUBORDINATE and not re.match(
                r"^(?:在|当|如果|为了|对于|无论|不管|只要|从|和|与|对)", low):
            add(_key(clause, name))
    return out


_SUBORDINATE = {"that", "which", "who", "whom", "whose", "where", "when", "while", "because", "although", "though",
                "unless", "until", "so", "than", "as", "if", "whether", "then", "plus", "no"}
"""Words a clause that cannot stand alone opens with ("when you travel", "no questions asked" is fine but
reads as a caption, not big words)."""


def _clauses(sentence: str) -> list[str]:
    """Clauses at commas and the like, and at "and"/"but" between two phrases of 2+ words (not list items)."""
    out = []
    body = sentence.strip().rstrip(".!…。！")
    parts = _split_clauses(body) if not is_cjk(body) else re.split(r"[，、；：,;:—–]", body)
    for part in parts:
        pieces = re.split(r"\s+(?:and|but)\s+", part.strip())
        if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces) and "," not in part \
                and all(second_clause(p.split()) for p in pieces[1:]):
            out += pieces
        else:
            out.append(part.strip())
    return [c for c in out if c]


def _key(sentence: str, name: str) -> str:
    if is_cjk(sentence):
        return key_zh(sentence, name)
    body = sentence.rstrip(".!…;:\"'”’ ")
    rel = _REL.search(body)
    if rel and (rel.start() == 0 or not name or name.lower() in body.lower() or re.match(r"^\S+\s+(?:is|are)\b", body)):
        between = body[:rel.start(1)].split()
        if any(_clean(w).lower() in PREPOSITIONS for w in between[-4:-1]):  # "a tea subscription for people who…"
            thing = _predicate_np(body)
            if thing:
                return thing
        words = cut_en(_words(re.split(_CLAUSE_CUT, rel.group(1))[0]))
        if len(words) >= 2:
            return _cap(" ".join(words))
    clauses = [c.strip() for c in _split_clauses(body) if c.strip()]
    if not clauses:
        return _cap(body)
    clause = clauses[0]
    bare_name = name and re.sub(r"^(?:meet|introducing|the|our)\s+", "", clause, flags=re.I).lower() == name.lower()
    if len(clauses) > 1 and (_clean(clause.split()[0]).lower() in _LEAD_CLAUSE or bare_name):
        clause = clauses[1]
    words = _words(clause)
    stripped = _strip_subject(words, name) or words
    fits = len(stripped) <= WHOLE_WORDS and len(" ".join(stripped)) <= WHOLE_CHARS
    rest = _copula_rest(stripped)
    if rest is not None and len(words) > 3 and not fits:
        stripped = rest
    words = cut_en(stripped)
    phrase = " ".join(words)
    if sentence.endswith("?") and len(words) == len(_words(body)):
        phrase += "?"
    return _cap(phrase)


def _split_clauses(body: str) -> list[str]:
    """Clauses at commas, semicolons and dashes, but not between the items of a list ("task, file and")."""
    parts = re.split(f"({_CLAUSE_CUT})", body)
    out: list[str] = []
    for i in range(0, len(parts), 2):
        part = parts[i] or ""
        sep = (parts[i - 1] or "").strip() if i else ""
        listy = sep == "," and out and (
            (re.search(r"\b(?:and|or)\b", " ".join(part.split()[:3])) and not re.match(r"\s*(?:and|or|but)\b", part))
            or (len(part.split()) <= 2 and i + 2 < len(parts) and (parts[i + 1] or "").strip() == ","))
        if listy:
            out[-1] = f"{out[-1]},{part}"
        else:
            out.append(part)
    return out


def _predicate_np(body: str) -> str:
    """The noun phrase after "X is" before its preposition: "Leafy is a tea subscription for people who…"."""
    m = re.search(r"\b(?:is|are)\s+(" + _ARTICLE + r"\s+[^,;:]+)$", body, re.IGNORECASE)
    if not m:
        return ""
    np = re.split(r"\s+(?:that|which|who|whom|whose|where)\s+", m.group(1), maxsplit=1)[0]
    words = _trim_cut(_words(np))
    words = cut_en(words) if len(words) > WHOLE_WORDS else words
    return _cap(" ".join(words)) if len(words) >= 2 and ends_well(words) else ""


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


def covers(key: str, sentence: str) -> bool:
    """True when a key phrase already says the whole sentence (no caption needed under it)."""
    def norm(s: str) -> str:
        return re.sub(r"[\W_]+", "", s).lower()
    return norm(key) == norm(sentence)
