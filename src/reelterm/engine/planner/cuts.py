"""Where on-screen words may be cut: a clause cut at a phrase boundary, never mid-phrase, English and Chinese.

A key phrase is a grammatical unit that makes sense alone: it ends on a noun, adjective or adverb
(never on a preposition, article, auxiliary, number or a verb waiting for its object) and the cut
falls where a new phrase begins (before a preposition, a conjunction or a relative word). A
clause that cannot be cut well is shown whole when it fits the big words' box.
"""

from __future__ import annotations

import re
from functools import cache

CUT_WORDS = 6
"""A cut phrase has at most this many words when a good cut that short exists."""
CUT_CHARS = 38
WHOLE_WORDS = 7
"""A clause of at most this many words (and `WHOLE_CHARS` characters) is shown whole, uncut."""
WHOLE_CHARS = 40
LONG_WORDS = 9
"""The most words of a phrase cut where no shorter good cut exists (or of a whole clause)."""
LONG_CHARS = 52

PREPOSITIONS = frozenset({
    "for", "with", "in", "on", "at", "to", "by", "from", "of", "into", "onto", "across", "over", "under",
    "about", "through", "throughout", "without", "after", "before", "until", "till", "during", "per", "via",
    "than", "around", "near", "inside", "outside", "within", "between", "among", "along", "against", "behind",
    "beyond", "past", "toward", "towards", "off", "up", "down", "like", "since", "despite", "except", "upon"})
CONJUNCTIONS = frozenset({"and", "or", "but", "so", "nor", "yet", "that", "which", "who", "whom", "whose",
                          "while", "when", "whenever", "where", "because", "as", "if", "unless", "whether",
                          "although", "though", "once"})
DETERMINERS = frozenset({"a", "an", "the", "your", "our", "my", "their", "its", "his", "her", "every", "each",
                         "this", "these", "those", "that", "any", "all", "some", "no", "same", "next", "other",
                         "another", "more", "most", "very", "such", "only", "just", "whole", "both"})
AUXILIARIES = frozenset({"is", "are", "was", "were", "be", "been", "being", "am", "will", "would", "can",
                         "could", "shall", "should", "may", "might", "must", "do", "does", "did", "has", "have",
                         "had", "not", "never", "also", "even", "still", "to"})
NUMBER_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                          "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "thousand",
                          "million", "several", "many", "few", "full", "extra", "half", "dozen"})
OBJECT_PRONOUNS = frozenset({"you", "us", "them", "it", "me", "him", "her", "yourself", "themselves"})
WEAK_END = PREPOSITIONS | CONJUNCTIONS | DETERMINERS | AUXILIARIES | NUMBER_WORDS
"""Words a phrase never ends on."""
_MULTI_PREP = re.compile(r"^(?:up to|as (?:much|many|little|few|fast|long) as|more than|less than|fewer than)$")


def clean(word: str) -> str:
    """A word without the punctuation around it."""
    return word.strip(",.;:!?\"'()“”‘’")


@cache
def _verbs() -> frozenset[str]:
    try:
        from reelterm.media.visuals import (
            not_nouns,  # WordNet word classes shipped with the pictures
        )
    except ImportError:  # pragma: no cover - the library ships with reelterm
        return frozenset()
    return frozenset(not_nouns())


def _is_number(word: str) -> bool:
    return word in NUMBER_WORDS or bool(re.fullmatch(r"[$€£¥]?[\d.,]+[%x]?", word))


def ends_well(words: list[str]) -> bool:
    """True when a phrase of these words ends on a whole idea (not a function word, number or bare verb)."""
    if not words:
        return False
    last = clean(words[-1]).lower()
    if not last or last in WEAK_END or words[-1].endswith(("-", "/")):
        return False
    if len(words) >= 2:
        prev = clean(words[-2]).lower()
        if _MULTI_PREP.match(f"{prev} {last}"):
            return False
        verbs = _verbs()
        third_person = last.endswith("s") and not last.endswith("ss") and last[:-1] in verbs
        noun_before = prev not in DETERMINERS | NUMBER_WORDS | CONJUNCTIONS | PREPOSITIONS and not _is_number(prev) \
            and prev not in verbs
        if third_person and noun_before and not words[-2].endswith(","):
            return False  # "The battery lasts", "The sensor tells"
    return True


def _starts_phrase(word: str) -> bool:
    """True for a word a new phrase begins with, so a cut just before it leaves both sides whole."""
    return clean(word).lower() in PREPOSITIONS | CONJUNCTIONS


def cut_points(words: list[str]) -> list[int]:
    """Every k where words[:k] is a well-cut phrase: at the end, or before a new phrase begins."""
    out = []
    for k in range(2, len(words) + 1):
        if not ends_well(words[:k]):
            continue
        if k < len(words) and clean(words[k - 1]).lower() in OBJECT_PRONOUNS and k <= 4:
            continue  # "Guides you | through…", "The sensor tells you | when…": the rest says what
        if k < len(words) and _participle(words[k - 1]) and not words[k - 1].endswith(","):
            continue  # "Light and built | for muddy walks", "juices delivered | across Brooklyn"
        if k < len(words) and clean(words[k]).lower() in ("and", "or") and any(
                w.endswith(",") for w in words[max(0, k - 3):k - 1]):
            continue  # "every task, file | and deadline": inside a list
        if k < len(words) and clean(words[k]).lower() == "as" and (
                len(words) - k <= 2 or (k + 2 < len(words) and clean(words[k + 2]).lower() == "as")):
            continue  # "twice | as fast", "as light | as air"
        if k == len(words) or _starts_phrase(words[k]) or words[k - 1].endswith((",", ";", ":")):
            if k < len(words) and words[k - 1].endswith(",") and clean(words[k]).lower() not in CONJUNCTIONS:
                if _list_goes_on(words[k:]):
                    continue  # "every task, | file and deadline": inside a list
            out.append(k)
    return out


_IRREGULAR = frozenset("built made done grown worn sewn known shown written given sold kept held brought bought "
                       "taught found set put cut sent spent drawn woven frozen chosen hidden".split())


def _participle(word: str) -> bool:
    """A past participle that waits for its complement ("built", "delivered"), not a hyphenated adjective."""
    low = clean(word).lower()
    return "-" not in low and (low in _IRREGULAR or (low.endswith("ed") and len(low) > 4))


def _list_goes_on(rest: list[str]) -> bool:
    """True when the words after a comma continue a list ("file and deadline", "sleep and steps")."""
    head = [clean(w).lower() for w in rest[:4]]
    return "and" in head[:3] or "or" in head[:3]


def second_clause(rest: list[str]) -> bool:
    """True when the words after "and"/"but" can stand alone: a verb phrase or a clause with a subject."""
    return bool(rest) and (clean(rest[0]).lower() in {"we", "you", "they", "it", "i"} or _second_verb(rest))


def _second_verb(rest: list[str]) -> bool:
    """True when the words after "and" start a second verb phrase ("and fits in a bin", "and leave no trace")."""
    w1 = clean(rest[0]).lower()
    w2 = clean(rest[1]).lower() if len(rest) > 1 else ""
    if w1 in DETERMINERS | NUMBER_WORDS | PREPOSITIONS | AUXILIARIES or _is_number(w1) or rest[0][:1].isupper():
        return False
    return w2 in PREPOSITIONS | DETERMINERS - {"that"} | OBJECT_PRONOUNS | {"no"} and not w1.endswith(("ed", "ing"))


def cut_en(words: list[str]) -> list[str]:
    """The phrase to show from a clause's words: whole when short, else cut at a good phrase boundary."""
    words = [w for w in words if clean(w)]
    if not words:
        return words
    words = [*words[:-1], words[-1].rstrip(",.;:!?…")]
    text = " ".join(words)
    if len(words) <= WHOLE_WORDS and len(text) <= WHOLE_CHARS and ends_well(words):
        return words
    for j in range(2, len(words) - 2):
        if clean(words[j]).lower() in ("and", "but") and _second_verb(words[j + 1:]) and ends_well(words[:j]) \
                and not any(w.endswith(",") for w in words[max(0, j - 3):j]):
            return cut_en(words[:j])  # "Classes start at 6am | and run until late": the first of two actions
    points = cut_points(words)
    short = [k for k in points if k <= CUT_WORDS and len(" ".join(words[:k])) <= CUT_CHARS]
    if short and short[-1] >= 3:
        k = short[-1]
        whole = [j for j in points if k < j <= WHOLE_WORDS and len(" ".join(words[:j])) <= WHOLE_CHARS]
        if clean(words[k]).lower() in ("and", "or") and whole:
            return words[:whole[0]]  # "Made with vitamin C and hyaluronic acid | for…": the pair stays whole
        return words[:k]
    longer = [k for k in points if CUT_WORDS < k <= LONG_WORDS and len(" ".join(words[:k])) <= LONG_CHARS]
    if longer:
        return words[:longer[0]]
    if short:
        return words[:short[-1]]
    if len(words) <= LONG_WORDS and len(text) <= LONG_CHARS and ends_well(words):
        return words  # no good cut: the whole clause, which still fits the big words' box
    listed = [k for k in range(2, min(CUT_WORDS, len(words)) + 1)
              if words[k - 1].endswith(",") and ends_well(words[:k])]
    if listed:
        return [*words[:listed[-1] - 1], words[listed[-1] - 1].rstrip(",")]  # "Works with iPhone, Android…"
    before_det = [k for k in range(3, CUT_WORDS + 1) if k < len(words) and clean(words[k]).lower() in DETERMINERS
                  and ends_well(words[:k])]
    if before_det:
        return words[:before_det[0]]  # "Get an alert | the moment your dog leaves…"
    out = words[:CUT_WORDS]
    while len(out) > 2 and not ends_well(out):
        out.pop()
    return out


def fine(phrase: str) -> bool:
    """True when a key phrase reads alone: it does not open with a preposition or end on a function word."""
    if re.search(r"[\u3400-\u9fff]", phrase):
        return not re.search(r"(?:的|在|和|与|并|从|对|把|被|让|给|用|是|都|也|就|能|会|可以|每|一)$", phrase)
    words = [clean(w).lower() for w in phrase.split() if clean(w)]
    if len(words) < 2 or not ends_well(phrase.split()):
        return False
    return words[0] not in PREPOSITIONS - {"with"} and words[0] not in CONJUNCTIONS


_BIND = PREPOSITIONS | {"a", "an", "the", "and", "or", "&"}
NBSP = "\u00a0"


def bind_lines(text: str, longest: int = 18, *, balance: bool = False) -> str:
    """Glue a preposition, article or conjunction to the word after it with a no-break space, so a line
    never ends on one ("Order by 8pm for" / "next-day delivery"); runs stay short enough to wrap.
    `balance` puts Chinese big words on two lines broken where a phrase ends."""
    if re.search(r"[\u3400-\u9fff]", text):
        return _balance_zh(text) if balance else text
    words = text.split(" ")
    out: list[str] = []
    for i, word in enumerate(words):
        if out and clean(words[i - 1]).lower() in _BIND and not words[i - 1].endswith((",", ".", ";", ":")) \
                and len(out[-1].split(NBSP)[-1]) + len(word) + 1 <= longest and len(out[-1]) + len(word) < longest:
            out[-1] = f"{out[-1]}{NBSP}{word}"
        else:
            out.append(word)
    return " ".join(out)


def without(phrase: str, part: str) -> str:
    """The phrase cut before the phrase holding `part` ("Keeps drinks ice-cold for 24 hours" without
    "24 hours" -> "Keeps drinks ice-cold"); the phrase itself when `part` is not in it; "" when nothing
    well cut is left."""
    if part.lower() not in phrase.lower():
        return phrase
    words = phrase.split()
    at = len(phrase[:phrase.lower().find(part.lower())].split())
    points = [k for k in cut_points(words) if k <= at]
    return " ".join(words[:points[-1]]).rstrip(",;:") if points else ""


_ZH_BEFORE = ("还有", "都由", "提供", "来自", "为你", "为您", "让", "由", "在", "和", "与", "给", "把", "从", "用", "只需")
_ZH_AFTER = ("来自", "提供", "都由", "的", "了", "都", "就", "能", "会", "可以", "，", "、")


def _balance_zh(text: str, shortest: int = 9) -> str:
    """Chinese big words of `shortest`+ characters on two balanced lines, broken where a phrase ends
    ("周末下午还有茶艺体验课" -> "周末下午" / "还有茶艺体验课"), not mid-word; unchanged when no such place."""
    if len(text) < shortest or "\n" in text or re.search(r"[A-Za-z0-9]{2}", text):
        return text
    spots = {i for w in _ZH_BEFORE for i in _all(text, w)} | {i + len(w) for w in _ZH_AFTER for i in _all(text, w)}
    good = [i for i in spots if 3 <= i <= len(text) - 3 and abs(len(text) - 2 * i) <= len(text) // 2]
    if not good:
        return text
    at = min(good, key=lambda i: (abs(len(text) - 2 * i), i))
    return f"{text[:at]}\n{text[at:]}"


def _all(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)]


def after(sentence: str, part: str) -> str:
    """The short phrase after `part` in a sentence, as the line under a big number ("7 days" / "on a
    single charge"); "" when it is long or badly cut."""
    at = sentence.lower().find(part.lower())
    if at < 0 or re.search(r"[\u3400-\u9fff]", sentence):
        return ""
    words = sentence[at + len(part):].strip(" ,.;:!?").split()
    return " ".join(words) if 2 <= len(words) <= 6 and ends_well(words) else ""


def audience_only(sentence: str, name: str, tagline: str) -> bool:
    """True when a sentence says only the title card's name and tagline plus a relative clause about
    the tagline's audience: "Pawtrail is a GPS collar for dogs that love to explore"."""
    norm = " ".join(re.sub(r"[^\w\s'-]", " ", sentence).lower().split())
    tag = " ".join(re.sub(r"[^\w\s'-]", " ", tagline).lower().split())
    if not name or not tag or not norm.startswith(name.lower()) or tag not in norm:
        return False
    rest = norm[norm.find(tag) + len(tag):].split()
    return any(w in PREPOSITIONS for w in tag.split()[1:]) and bool(rest) and rest[0] in ("that", "who", "which")
