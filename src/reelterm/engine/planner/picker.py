"""Scene text -> a matching picture from the bundled library, English and Chinese.

Precision first: a picture is chosen only when its name, tags or a known synonym clearly match
the words of the scene; otherwise the scene gets `None` (an abstract motif). The result is
deterministic, never repeats a subject within one video, and ignores made-up product names,
whole and word by word, so "Brewlab" never becomes a test tube.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from reelterm.engine.planner import _pick_text as tx
from reelterm.engine.planner._pick_index import MAIN_SETS, THRESHOLD, ranked, subject
from reelterm.media.visuals import REF, SUBJECT_SETS, library

_ITEMS = re.compile(r"\s*(?:,|;|/|、|，|；|\band\b|\bor\b|\bplus\b|&|和|与|及|以及|还有)\s*", re.IGNORECASE)


def _subjects(refs: Iterable[str]) -> set[str]:
    out = set()
    for ref in refs:
        m = REF.fullmatch(ref) if isinstance(ref, str) else None
        if m:
            out.add(subject(m.group(2)))
    return out


def _set(ref: str) -> str:
    return ref[5:].split("/", 1)[0]


def _look(refs: Iterable[str]) -> str | None:
    """The one other-than-Fluent set a video already shows (its look is then the video's second)."""
    return next((_set(r) for r in refs if isinstance(r, str) and REF.fullmatch(r) and _set(r) not in MAIN_SETS),
                None)


def _first_free(candidates: Sequence[str], used: set[str], look: list[str | None]) -> str | None:
    """The best candidate whose subject is unused and whose look fits the video's (`look[0]`)."""
    for ref in candidates:
        sub = subject(ref.rsplit("/", 1)[1])
        kind = _set(ref)
        if sub in used or (kind not in MAIN_SETS and look[0] not in (None, kind)):
            continue
        used.add(sub)
        if kind not in MAIN_SETS:
            look[0] = kind
        return ref
    return None


def pick_pictures(texts: Sequence[str], *, avoid: Iterable[str] = (),
                  names: Iterable[str] = ()) -> list[str | None]:
    """One picture ref per text, or None where nothing fits well; never a subject twice.

    Styles do not mix at random: the Fluent sets come first, and a video shows at most one other
    set (IconPark, Streamline, Freehand or Flat Color), the first one it needed, so every picture of a
    subject the Fluent sets lack has the same look.
    """
    names = tuple(n for n in names if isinstance(n, str))
    avoid = tuple(avoid)
    used = _subjects(avoid)
    look = [_look(avoid)]
    return [_first_free(ranked(t or "", names), used, look) for t in texts]


def pick_many(text: str, count: int, *, avoid: Iterable[str] = (), names: Iterable[str] = ()) -> list[str]:
    """Up to `count` distinct pictures for the items of a list sentence, in the items' order."""
    names = tuple(n for n in names if isinstance(n, str))
    avoid = tuple(avoid)
    used = _subjects(avoid)
    look = [_look(avoid)]
    out: list[str] = []
    for item in (p for p in _ITEMS.split(text or "") if p and p.strip()):
        if len(out) >= count:
            break
        ref = _first_free(ranked(item, names), used, look)
        if ref:
            out.append(ref)
    while len(out) < count and (ref := _first_free(ranked(text or "", names), used, look)):
        out.append(ref)
    return out


def search_pictures(query: str, *, limit: int = 5) -> list[str]:
    """Pictures for a chat request ("rocket", "火箭", "a cup of coffee"), best first."""
    query = (query or "").strip()
    lib = library()
    if lib.get(query) is not None:
        return [query]
    slug = re.sub(r"[^a-z0-9]+", "-", query.lower()).strip("-")
    found = [r for r in (f"icon:{s}/{slug}" for s in SUBJECT_SETS) if lib.get(r) is not None]
    found += ranked(query, threshold=THRESHOLD * 0.6, thing=True)
    if not found:
        found = _all_words(query)
    out: list[str] = []
    seen: set[str] = set()
    for ref in found:
        sub = subject(ref.rsplit("/", 1)[1])
        if sub not in seen:
            seen.add(sub)
            out.append(ref)
    return out[:max(0, limit)]


@cache
def _picture_words() -> tuple[tuple[str, frozenset[str], frozenset[str]], ...]:
    """(ref, words of the name, words of name and tags) of every subject picture, singular."""
    out = []
    for pic in library().all(SUBJECT_SETS):
        name = frozenset(tx.singular(w) for w in tx.words(pic.name_en))
        every = name | {tx.singular(w) for t in pic.tags_en for w in tx.words(t)}
        out.append((pic.ref, name, frozenset(every)))
    return tuple(out)


def _all_words(query: str) -> list[str]:
    """Pictures whose name and tags hold every word of the query ("happy face"), shortest name first."""
    want = {tx.singular(w) for w in tx.words(query) if w not in tx.STOP and len(w) > 1}
    if not want:
        return []
    hits = [(-len(want & name), len(ref), ref) for ref, name, every in _picture_words() if want <= every]
    return [ref for *_, ref in sorted(hits)]
