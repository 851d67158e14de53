"""On-screen words, English and Chinese: a short key phrase a sentence (the title card's are in headlines.py)."""

from __future__ import annotations

import re

from reelterm.engine.planner.cuts import (
    LONG_CHARS,
    LONG_WORDS,
    PREPOSITIONS,
    WHOLE_CHARS,
    WHOLE_WORDS,
    cut_en,
    ends_well,
    fine,
    second_clause,
)
from reelterm.engine.planner.cuts_zh import key_zh
from reelterm.engine.planner.sentences import is_cjk

KEY_WORDS = 5
"""The most words a key phrase has (English)."""

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
_REL = re.compile(r"(?:^|\b(?:is|are)\s+|,\s+)(?:a|an|the|your|our)\s+[^,;]+?\s+(?:that|which|who)\s+(.+)$",
                  re.IGNORECASE)
_WORDY = re.compile(r"\w")
_COPULA = {"is", "are", "was", "were"}
_CLAUSE_CUT = r"(?<!\d),|,(?!\d)|[;:—–]|\s-\s"
"""Where an English clause ends: a comma (not inside 10,000), semicolon, colon or dash."""
_NUMBERS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "twenty",
            "hundred", "thousand", "several", "many", "few", "both", "full", "whole", "extra"}
_ARTICLE = r"(?:a|an|the|your|our)"


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
    elif lowered and lowered[0] in _PRONOUNS and lowered[0] not in _DEMONSTRATIVE:
        words = words[1:]
    low = [_clean(w).lower() for w in words]
    if len(words) > 3 and low[0] in _DEMONSTRATIVE and _third_person(low[2]):
        words = words[2:]  # "This serum brightens dull skin" -> "Brightens dull skin"
    elif words and _clean(words[0]).lower() in _PRONOUNS and len(words) > 2:
        words = words[1:]
    while len(words) > 2 and _clean(words[0]).lower() in _AUX:
        words = words[1:]
    if (len(words) >= 2 and _clean(words[0]).lower() in ("are", "is", "am", "was", "were")
            and _clean(words[1]).lower().endswith("ing")):
        return original  # "We are hiring" stays whole: "Are hiring" reads as a question
    if words and _clean(words[0]).lower() in _COPULA | _AUX:
        return words[1:] if len(words) > 2 else original  # "It is simple" stays whole, never "Is simple"
    if words and words is not original and _clean(words[0]).lower() in PREPOSITIONS - {"with"}:
        return original  # "Here's to the crazy ones" stays whole: "To the crazy ones" misreads
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
    if _clean(clause.split()[0]).lower() in PREPOSITIONS - {"with"} and clause is not clauses[0]:
        whole = _whole(sentence, "")  # "Moonbeam Studio, since 2009": no lone "Since 2009"
        if whole:
            return whole
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


def covers(key: str, sentence: str) -> bool:
    """True when a key phrase already says the whole sentence (no caption needed under it)."""
    def norm(s: str) -> str:
        return re.sub(r"[\W_]+", "", s).lower()
    return norm(key) == norm(sentence)
