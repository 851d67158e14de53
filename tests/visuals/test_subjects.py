"""How many different things the library can show: subjects, not restyled copies of one."""

from __future__ import annotations

import re

from reelterm.media.visuals import SUBJECT_SETS, library

_VARIANT = re.compile(r"^(?:man|woman|person)-|-facing-right$")
_CUT = ("with", "of", "in", "on", "at")
SUBJECTS_FLOOR = 2000
"""Issue 11 asks for 2,000 colour illustrations: distinct subjects, counted the strict way below."""


def _words(name: str) -> list[str]:
    out = []
    for w in re.findall(r"[a-z0-9]+", name.lower()):
        if w not in ("man", "woman", "person"):
            out.append(w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 3 else w)
    return out


def distinct_subjects() -> int:
    """Pictures grouped into subjects, counted the strict way.

    One subject: the gender and facing variants of a person (`man-cook`, `woman-cook`); pictures
    with the same English name (singular) or the same Chinese name, in any set; and a picture
    whose name is the head word of another set's picture ("calendar" and "spiral calendar").
    Restyled twins (`fluent-flat`) and skin tones are not subjects at all.
    """
    pics = library().all(SUBJECT_SETS)
    parent = list(range(len(pics)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str], int] = {}
    for i, p in enumerate(pics):
        keys = [("en", " ".join(_words(p.name_en))), ("zh", p.name_zh)]
        if p.set == "fluent":
            keys.append(("id", _VARIANT.sub("", _VARIANT.sub("", p.id))))
        for key in keys:
            if key in first:
                parent[find(i)] = find(first[key])
            else:
                first[key] = i
    for i, p in enumerate(pics):
        words = _words(p.name_en)
        cut = next((j for j, w in enumerate(words) if w in _CUT and j), len(words))
        head = first.get(("en", words[cut - 1])) if len(words) > 1 else None
        if head is not None and pics[head].set != p.set:
            parent[find(i)] = find(head)
    return len({find(i) for i in range(len(pics))})


def test_the_library_shows_many_distinct_subjects() -> None:
    assert distinct_subjects() >= SUBJECTS_FLOOR


def test_counting_merges_variants_and_the_same_thing_in_two_sets() -> None:
    pics = library().all(SUBJECT_SETS)
    assert distinct_subjects() < len(pics)  # man-/woman-/person- and cross-set copies are one each
    names = {p.name_en for p in pics if p.set == "fluent-ui"}
    assert "calendar" in names  # merged with Fluent Emoji's spiral and tear-off calendars


def test_every_set_has_english_and_chinese_words_and_a_licence() -> None:
    from reelterm.media.visuals._library import DATA

    credits = (DATA.parent / "LICENSES" / "CREDITS.md").read_text(encoding="utf-8")
    for name in SUBJECT_SETS:
        pics = library().all((name,))
        assert len(pics) >= 40, name
        assert all(p.name_en.strip() and p.name_zh.strip() for p in pics), name
        chinese = sum(1 for p in pics if re.search(r"[\u4e00-\u9fff]", p.name_zh))
        assert chinese / len(pics) > 0.99, name  # a few, like "DNA", are the same in both languages
        assert f"icon:{name}/" in credits, name
