"""The picker's index over the visual library and its scoring of one text against every picture.

For each word of the text a picture earns the best of: being named by that word alone (its whole
main name), a word of its main name, one of its tags, or a synonym from `_pick_words`, in that
order of weight; a synonym that agrees with a name or tag adds a little. Words shared by many
pictures count less, and words late in the sentence a little less than early ones. Chinese is
matched as substrings, longest first, so `生日蛋糕` never also counts as `蛋`.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from reelterm.engine.planner import _pick_text as tx
from reelterm.engine.planner._pick_senses import off_sense, on_sense
from reelterm.engine.planner._pick_words import (
    CAPITALISED,
    EN,
    PHRASES,
    SINGLE_ZH,
    ZH,
    ZH_TRADITIONAL,
)
from reelterm.media.visuals import SUBJECT_SETS, library, not_nouns, word_kinds

WHOLE_NAME = 12.0
NAME_WORD = 6.5
TAG_WORD = 6.0
TAG_PHRASE = 7.0
ASSOC_TAG = 4.5
"""A tag the picture only evokes ("diaper" for a safety pin): support, not enough alone."""
SOFT_TAG = 2.5
"""A tag that is no physical thing ("celebrate", "future") only supports other evidence."""
SYNONYM = 5.0
SYNONYM_ALT = 4.0
AGREE = 1.5
MODIFIER = 0.6
"""A name word that only modifies the head (`post` in `post office`) counts this much."""
ZH_NAME = 12.0
ZH_NAME_SINGLE = 8.0
ZH_TAG_SHORT = 5.0
"""A two-character Chinese tag (电子, 朋友) is often a loose association: it counts less than a
longer one and is enough alone only when few pictures share it."""
THRESHOLD = 5.0
"""The least score a picture needs to be chosen; below it the scene gets a motif."""
MAIN_SETS = ("fluent", "fluent-ui")
"""The sets tried first; the others (IconPark, Streamline, Freehand, Flat Color) only draw what these lack."""
OTHER_SETS = 0.75
"""How much a picture of the other sets counts against a main-set one: a clear whole-name match
("washing machine") wins over a weak one, a close call goes to the main sets' look."""
FALLBACK_THRESHOLD = 9.0
"""The least score a picture of the other sets needs: its whole name, or more than one word of it."""

SYNONYM_WORDS = frozenset(EN)
"""Marketing words with a curated picture count even where WordNet calls them verbs ("secure")."""
_GENDER = re.compile(r"^(?:man|woman|person)-|-facing-right$")
_TAG_JUNK = frozenset("""nothing settle weekend close turn good bad great cool nice ok yes no not
done up down right left high low big small new old other thing stuff word""".split())
_PEOPLE = frozenset("person man woman people men women".split())
_CUT = frozenset("with of in on at for from without not over behind under and".split())


def _heads(words: tuple[str, ...]) -> set[int]:
    """Positions of a name's head words: the last word before any preposition, and the action
    of a person (`post office` -> office; `cup with straw` -> cup; `person running` -> running;
    `growing heart` -> heart)."""
    core = next((i for i, w in enumerate(words) if w in _CUT and i > 0), len(words))
    heads = {core - 1}
    if words and words[0] in _PEOPLE:
        heads |= {i for i, w in enumerate(words[:core]) if w.endswith("ing") and len(w) > 4}
    return heads


def subject(ident: str) -> str:
    """The subject of a picture id, so `man-running` and `person-running` count as one."""
    return _GENDER.sub("", _GENDER.sub("", ident))


def _specific(df: int) -> float:
    """How much a word shared by `df` pictures still says (1 when unique, 0 when everywhere)."""
    if df <= 2:
        return 1.0
    if df > 40:
        return 0.0
    return max(0.0, 1.0 - math.log(df / 2) / math.log(20))


@dataclass
class Index:
    """English words and phrases and Chinese terms -> {ref: (weight, kind)}; kind 's' = synonym."""

    words: dict[str, dict[str, tuple[float, str]]]
    phrases: dict[tuple[str, ...], dict[str, float]]
    zh: dict[str, dict[str, tuple[float, str]]]
    rank: dict[str, tuple[Any, ...]]  # ref -> tie-break key (smaller wins)


def _ref(ident: str) -> str:
    return f"icon:fluent-ui/{ident[3:]}" if ident.startswith("ui/") else f"icon:fluent/{ident}"


def _put(table: dict[Any, dict[str, tuple[float, str]]], key: Any, ref: str, weight: float, kind: str = "n") -> None:
    """Keep the strongest direct match; a synonym beside a direct match adds AGREE."""
    old = table[key].get(ref)
    if old is None:
        table[key][ref] = (weight, kind)
    elif kind == "s" or old[1] == "s":
        direct, syn = (old[0], weight) if kind == "s" else (weight, old[0])
        bonus = AGREE if direct >= 4.0 else 0.0  # a soft tag does not make a synonym stronger
        table[key][ref] = (max(direct, syn) + bonus, "n")
    elif weight > old[0]:
        table[key][ref] = (weight, kind)


@cache
def index() -> Index:
    """Build the index once per process (about 1,400 pictures)."""
    pics = library().all(SUBJECT_SETS)
    seen_en: dict[str, set[str]] = defaultdict(set)  # word -> subjects (not pictures) using it
    seen_zh: dict[str, set[str]] = defaultdict(set)
    for p in pics:
        sub = subject(p.id)
        for w in set(tx.phrase(p.name_en)) | {w for t in p.tags_en for w in tx.phrase(t)}:
            seen_en[w].add(sub)
        for t in set(p.tags_zh):
            seen_zh[t].add(sub)
    df = {w: len(s) for w, s in seen_en.items()}
    zh_df = {w: len(s) for w, s in seen_zh.items()}
    words: dict[str, dict[str, tuple[float, str]]] = defaultdict(dict)
    phrases: dict[tuple[str, ...], dict[str, tuple[float, str]]] = defaultdict(dict)
    zh: dict[str, dict[str, tuple[float, str]]] = defaultdict(dict)
    rank: dict[str, tuple[Any, ...]] = {}
    for p in pics:
        name = tx.phrase(p.name_en)
        if len(name) == 1:
            whole = TAG_WORD if p.name_en in p.soft_en else WHOLE_NAME  # "learning": a concept
            raw = tx.surface(p.name_en)[0]
            _put(words, tx.singular(raw), p.ref, whole)
            _put(words, raw, p.ref, whole)
        else:
            _put(phrases, name, p.ref, WHOLE_NAME + 2 * (len(name) - 1))
            heads = _heads(tx.surface(p.name_en))
            for j, (w, raw) in enumerate(zip(name, tx.surface(p.name_en), strict=False)):
                if w not in tx.STOP:
                    weight = NAME_WORD * _specific(df[w]) * (1.0 if j in heads else MODIFIER)
                    if raw in p.soft_name:
                        weight = min(weight, SOFT_TAG)
                    for key in {tx.singular(raw), raw}:
                        _put(words, key, p.ref, weight)
        for tag in p.tags_en:
            tp = tx.phrase(tag)
            if len(tp) == 1 and tp[0] not in tx.STOP and tp[0] not in _TAG_JUNK:
                soft = tag in p.soft_en or tag in p.soft_name
                base = SOFT_TAG if soft else ASSOC_TAG if tag in p.assoc_en else TAG_WORD
                _put(words, tag.lower(), p.ref, base * _specific(df[tp[0]]))
                one = tx.singular(tag.lower())  # "flats" the shoes are no "flat" to live in
                if one != tag.lower():
                    weak = one in p.soft_en or one in p.assoc_en
                    _put(words, one, p.ref, (SOFT_TAG if weak else base) * _specific(df[tp[0]]))
            elif len(tp) > 1:
                _put(phrases, tp, p.ref, TAG_PHRASE)
        if len(p.name_zh) >= 2:  # a concept icon with an abstract name (出发, 营养) is only a soft match
            abstract = p.set not in MAIN_SETS and (p.name_en in p.soft_en or set(name) <= set(p.soft_name))
            _put(zh, p.name_zh, p.ref, TAG_WORD if abstract else ZH_NAME)
        elif p.name_zh in SINGLE_ZH:
            _put(zh, p.name_zh, p.ref, ZH_NAME_SINGLE)
        for t in p.tags_zh:
            if len(t) >= 3:
                _put(zh, t, p.ref, TAG_WORD * _specific(zh_df[t]))
            elif len(t) == 2 or t in SINGLE_ZH:
                # faces, people and signs carry feelings (专注, 心动, 幸运): those tags only support
                short = ZH_TAG_SHORT if p.kind not in ("face", "person", "symbol") else SOFT_TAG
                _put(zh, t, p.ref, short * _specific(zh_df[t]))
        gendered = p.id.startswith(("man-", "woman-")) or p.id.endswith("-facing-right")
        rank[p.ref] = (SUBJECT_SETS.index(p.set), gendered, len(p.name_en), p.ref)
    for table, source in ((words, EN), (zh, ZH), (zh, ZH_TRADITIONAL)):
        for key, idents in source.items():
            for i, ident in enumerate(idents):
                if _ref(ident) in rank:
                    _put(table, key, _ref(ident), SYNONYM if i == 0 else SYNONYM_ALT, "s")
    for word, ref in word_kinds().items():
        if ref in rank and word not in words:
            _put(words, word, ref, SYNONYM, "s")
    for key, idents in PHRASES.items():
        phrases[tx.phrase(key)]  # noqa: B018 - present even when it names nothing: it still consumes
        for i, ident in enumerate(idents):
            if _ref(ident) in rank:
                _put(phrases, tx.phrase(key), _ref(ident), TAG_PHRASE if i == 0 else SYNONYM)
    return Index(dict(words), {k: {r: (v[0] if isinstance(v, tuple) else v) for r, v in d.items()}
                               for k, d in phrases.items()}, dict(zh), rank)


_IDIOMS = re.compile(r"\b(?:at|from|leaving|stay|stays|back|way|feel|feels|make yourself at) home\b|"
                     r"\bhome ?page\b|\bon (?:the )?go\b|\bin no time\b|\bfor free\b|\bin store\b|"
                     r"\bpiece of cake\b|\bgame[- ]chang\w*|\bnext level\b|\bpay off\b|\bstep by step\b|"
                     r"\bsave the date\b|\bon a budget\b|\bon point\b|\bhands[- ]on\b|\bhands[- ]free\b|"
                     # figures of speech whose nouns are no pictures
                     r"\bkeys? to (?!(?:the |your |a |my )?(?:[a-z]+ )?(?:door|home|house|car|flat|apartment|room|office|"
                     r"city|place|front|castle|kingdom)\b)|"
                     r"\b(?:at )?the heart of\b|\bheart and soul\b|\bwith (?:all (?:our|my) )?heart\b|"
                     r"\bfrom the heart\b|\bopens? (?:new )?doors\b|\b(?:on the )?road to\b|\bin the world\b|"
                     r"\bworld'?s (?:first|best|finest|leading|most)\b|\brule them all\b|\bon fire\b|"
                     r"\brock ?stars?\b|\bsky'?s the limit\b|\bover the moon\b|\bbreak the ice\b|"
                     r"\bcup of tea\b|\bcherry on top\b|\bicing on the cake\b|\bbread and butter\b|"
                     r"\blow[- ]hanging fruit\b|\btime flies\b|\bsave the day\b|\bat your fingertips\b|"
                     r"\bbehind the scenes\b|\bin a nutshell\b|\bhit the road\b|\bnorth star\b|"
                     r"\bmoonshot\b|\bsilver bullet\b|\bwin[- ]win\b|\bspot ?light\b|\bsweet spot\b|"
                     r"\bgold standard\b|\bbuilding blocks?\b|\bfull steam\b|\bpeace of mind\b",
                     re.IGNORECASE)


def _late(k: int) -> float:
    """Words later in a sentence count a little less (the subject usually comes first)."""
    return max(0.7, 1.0 - 0.06 * k)


def score(text: str, names: tuple[str, ...] = (), *, thing: bool = False) -> dict[str, tuple[float, float]]:
    """Each matching picture's (evidence, order-weighted score) for `text`; names are ignored.

    `thing=True` reads the text as the name of a thing (a chat edit's "lock", "Apple"), so
    the rules that tell verbs and brand names apart in a sentence are off.

    The evidence decides whether a picture fits at all; the order-weighted score, where
    earlier words count more, decides between pictures that fit.
    """
    idx = index()
    sentence = text  # the sense checks read the whole sentence, its leading verb too ("Pay with …")
    text = _IDIOMS.sub(" ", tx.normalise(tx.strip_names(tx.strip_urls(text), names)))
    scores: dict[str, float] = defaultdict(float)
    plain: dict[str, float] = defaultdict(float)
    raw = tx.words(text if thing else tx.drop_proper_names(text, CAPITALISED))
    lem = [tx.lemma(w) for w in raw]
    verbs = frozenset() if thing else not_nouns() - SYNONYM_WORDS
    content = [i for i, w in enumerate(raw) if tx.is_content(w)
               and (w not in verbs or (i > 0 and raw[i - 1] in tx.DETERMINERS))
               and (thing or not (i > 0 and raw[i - 1] in tx.SUBJECTS))
               and (thing or not tx.verb_use(raw, i))
               and (thing or not (w in tx.MATERIALS and i + 1 < len(raw) and raw[i + 1]
                                  and tx.is_content(raw[i + 1])))]
    order = {i: k for k, i in enumerate(content)}
    taken: set[int] = set()  # words a whole phrase used: they count for nothing else
    for n in (4, 3, 2):
        for i in range(len(lem) - n + 1):
            span = set(range(i, i + n))
            phrase_hits = idx.phrases.get(tuple(lem[i:i + n]))
            if phrase_hits is None or span & taken:
                continue
            if not phrase_hits or any(_set(r) in MAIN_SETS for r in phrase_hits):
                taken |= span  # a phrase only another set draws leaves its words to the main sets
            k = min((order[j] for j in span if j in order), default=0)
            for ref, w in phrase_hits.items():
                scores[ref] += w * _late(k)
                plain[ref] += w
    for i in content:
        if i in taken:
            continue
        hits: dict[str, float] = {}
        for v in tx.variants(raw[i]):
            for ref, (w, _) in idx.words.get(v, {}).items():
                ident = ref.rsplit("/", 1)[1]
                if not thing and on_sense(ident, raw[i], sentence):
                    w = max(w, TAG_PHRASE)  # the sentence says which sense: "mouse … click"
                if thing or not off_sense(ident, raw[i], sentence):
                    hits[ref] = max(hits.get(ref, 0.0), w)
        for ref, w in hits.items():
            scores[ref] += w * _late(order[i])
            plain[ref] += w
    _score_zh(tx.chinese_text(text), idx, scores, plain)
    return {r: (plain[r], scores[r]) for r in scores if scores[r] > 0}


def _score_zh(text: str, idx: Index, scores: dict[str, float], plain: dict[str, float]) -> None:
    if not text.strip():
        return
    found = [t for t in idx.zh if t in text]
    used = [False] * len(text)
    hits: list[tuple[int, str]] = []
    for term in sorted(found, key=lambda t: (-len(t), t)):
        start, first = 0, -1
        while (at := text.find(term, start)) >= 0:
            if not any(used[at:at + len(term)]):
                used[at:at + len(term)] = [True] * len(term)
                negated = at > 0 and text[at - 1] in tx.NEGATION_ZH  # 不担心, 无糖: not the thing
                first = at if first < 0 and not negated else first
            start = at + 1
        if first >= 0:
            hits.append((first, term))
    for k, (_, term) in enumerate(sorted(hits)):
        for ref, (w, _) in idx.zh[term].items():
            scores[ref] += w * _late(k)
            plain[ref] += w


def ranked(text: str, names: tuple[str, ...] = (), threshold: float = THRESHOLD, *,
           thing: bool = False) -> list[str]:
    """Refs scoring at least `threshold` for `text`, best first (ties broken the same way always)."""
    rank = index().rank
    got = score(text, names, thing=thing)
    main = [r for r, (ev, _) in got.items() if ev >= threshold - 1e-9 and _set(r) in MAIN_SETS]
    more = [r for r, (ev, _) in got.items() if ev >= max(threshold, FALLBACK_THRESHOLD) - 1e-9
            and _set(r) not in MAIN_SETS]

    def key(r: str) -> tuple[Any, ...]:
        weight = 1.0 if _set(r) in MAIN_SETS else OTHER_SETS
        return (-round(got[r][1] * weight, 3), rank[r])
    return sorted(main + more, key=key)


def _set(ref: str) -> str:
    return ref[5:ref.index("/")]
