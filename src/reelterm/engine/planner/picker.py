"""Scene text -> a matching picture from the bundled library, English and Chinese.

Precision first: a picture is chosen only when its name, tags or a known synonym clearly match
the words of the scene; otherwise the scene gets `None` (an abstract motif). The result is
deterministic, never repeats a subject within one video, and ignores made-up product names,
whole and word by word, so "Brewlab" never becomes a test tube.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from reelterm.engine.planner._pick_index import THRESHOLD, index, ranked, subject
from reelterm.media.visuals import REF, library

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
    exact = [r for r in (f"icon:fluent/{slug}", f"icon:fluent-ui/{slug}") if lib.get(r) is not None]
    rank = index().rank
    found = exact + [r for r in ranked(query, threshold=THRESHOLD * 0.6) if r not in exact]
    seen: set[str] = set()
    return [r for r in found if not (subject(r.rsplit("/", 1)[1]) in seen or seen.add(subject(r.rsplit("/", 1)[1])))
            and r in rank][:max(0, limit)]
