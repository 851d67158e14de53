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
from reelterm.engine.planner._pick_index import THRESHOLD, ranked, subject
from reelterm.media.visuals import REF, SUBJECT_SETS, library

_ITEMS = re.compile(r"\s*(?:,|;|/|、|，|；|\band\b|\bor\b|\bplus\b|&|和|与|及|以及|还有)\s*", re.IGNORECASE)


def _subjects(refs: Iterable[str]) -> set[str]:
    out = set()
    for ref in refs:
        m = REF.fullmatch(ref) if isinstance(ref, str) else None
        if m:
            out.add(subject(m.group(2)))
    return out


def _first_free(candidates: Sequence[str], used: set[str]) -> str | None:
    for ref in candidates:
        sub = subject(ref.rsplit("/", 1)[1])
        if sub not in used:
            used.add(sub)
            return ref
    return None


def pick_pictures(texts: Sequence[str], *, avoid: Iterable[str] = (),
                  names: Iterable[str] = ()) -> list[str | None]:
    """One picture ref per text, or None where nothing fits well; never a subject twice."""
    names = tuple(n for n in names if isinstance(n, str))
    used = _subjects(avoid)
    return [_first_free(ranked(t or "", names), used) for t in texts]


def pick_many(text: str, count: int, *, avoid: Iterable[str] = (), names: Iterable[str] = ()) -> list[str]:
    """Up to `count` distinct pictures for the items of a list sentence, in the items' order."""
    names = tuple(n for n in names if isinstance(n, str))
    used = _subjects(avoid)
    out: list[str] = []
    for item in (p for p in _ITEMS.split(text or "") if p and p.strip()):
        if len(out) >= count:
            break
        ref = _first_free(ranked(item, names), used)
        if ref:
            out.append(ref)
    for ref in ranked(text or "", names):
        if len(out) >= count:
            break
        if subject(ref.rsplit("/", 1)[1]) not in used:
            used.add(subject(ref.rsplit("/", 1)[1]))
            out.append(ref)
    return out


def search_pictures(query: str, *, limit: int = 5) -> list[str]:
    """Pictures for a chat request ("rocket", "火箭", "a cup of coffee"), best first."""
    query = (query or "").strip()
    lib = library()
    if lib.get(query) is not None:
        return [query]
    slug = re.sub(r"[^a-z0-9]+", "-", query.lower()).strip("-")
    found = [r for r in (f"icon:fluent/{slug}", f"icon:fluent-ui/{slug}") if lib.get(r) is not None]
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
