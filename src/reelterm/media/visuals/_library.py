"""The bundled pictures: Fluent Emoji, Fluent UI, IconPark and more colour icons, English and Chinese words.

Everything lives in `data/pictures.zip` (one SVG per picture) and `data/pictures.json` (keywords),
built by `scripts/build_visuals.py`; nothing is downloaded at run time.
"""

from __future__ import annotations

import json
import re
import threading
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from reelterm.media.errors import MediaError

DATA = Path(__file__).with_name("data")
REF = re.compile(r"icon:([a-z0-9-]{1,32})/([A-Za-z0-9_-]{1,64})")
SUBJECT_SETS = ("fluent", "fluent-ui", "iconpark", "streamline", "freehand", "flatcolor", "plump",
                "streamline-color")
"""The sets with one picture per subject (the picker looks only here), in order of preference:
a subject is drawn by the first set that has it, so the same subject always has the same look."""
STYLE_SETS = {"fluent-flat": "fluent"}
"""Sets that redraw another set's subjects in a different look: same ids and keywords."""

# emojibase group numbers -> the kind of subject
GROUPS = {0: "face", 1: "person", 3: "nature", 4: "food", 5: "travel", 6: "activity", 7: "object",
          8: "symbol", 9: "flag"}


@dataclass(frozen=True)
class Picture:
    """One bundled picture: `icon:<set>/<id>`, its English and Chinese name and tags."""

    ref: str
    set: str
    id: str
    name_en: str
    tags_en: tuple[str, ...]
    name_zh: str
    tags_zh: tuple[str, ...]
    kind: str = "object"
    soft_en: tuple[str, ...] = ()
    """The English tags that are not physical things ("celebrate", "future"): weak evidence."""
    assoc_en: tuple[str, ...] = ()
    """Physical tags the picture does not show, only evokes ("diaper" for a safety pin)."""
    soft_name: tuple[str, ...] = ()
    """Words of the English name that are no physical thing ("control" in passport control)."""

    def twin(self, style: str) -> str | None:
        """The ref of this subject drawn in `style` (e.g. `fluent-flat`), or None if that look lacks it."""
        if STYLE_SETS.get(style) != self.set:
            return None
        ref = f"icon:{style}/{self.id}"
        return ref if library().get(ref) is not None else None


class Library:
    """The picture index: look up a ref, list every picture, read a picture's SVG."""

    def __init__(self, pictures: list[Picture], archive: Path) -> None:
        self._by_ref = {p.ref: p for p in pictures}
        self._archive = archive
        self._zip: zipfile.ZipFile | None = None
        self._lock = threading.Lock()

    def get(self, ref: str) -> Picture | None:
        """The picture behind `ref`, or None when the ref is malformed or unknown."""
        return self._by_ref.get(ref) if isinstance(ref, str) else None

    def all(self, sets: tuple[str, ...] | None = None) -> tuple[Picture, ...]:
        """Every picture (sorted by ref), or those of the given sets."""
        return tuple(p for r, p in sorted(self._by_ref.items()) if sets is None or p.set in sets)

    def __len__(self) -> int:
        return len(self._by_ref)

    def require(self, ref: str) -> Picture:
        """The picture behind `ref`, or `MediaError` saying what is wrong with the ref."""
        if not isinstance(ref, str) or not REF.fullmatch(ref):
            raise MediaError(f"{str(ref)[:80]!r} is not a picture reference (icon:SET/ID).")
        pic = self.get(ref)
        if pic is None:
            raise MediaError(f"There is no bundled picture called {ref}; "
                             "search the library for another word.")
        return pic

    def svg(self, ref: str) -> bytes:
        """The SVG document of a picture (`MediaError` for an unknown ref)."""
        pic = self.require(ref)
        with self._lock:
            if self._zip is None:
                try:
                    self._zip = zipfile.ZipFile(self._archive)
                except (OSError, zipfile.BadZipFile) as exc:
                    raise MediaError("The bundled picture library is missing or damaged; "
                                     "reinstall reelterm.") from exc
            try:
                return self._zip.read(f"{pic.set}/{pic.id}.svg")
            except (KeyError, OSError, zipfile.BadZipFile) as exc:
                raise MediaError(f"The bundled picture {ref} is missing from the library; "
                                 "reinstall reelterm.") from exc


def _pictures(index: dict[str, Any]) -> list[Picture]:
    out: list[Picture] = []
    by_id: dict[str, dict[str, Picture]] = {}
    for set_name, rows in index.items():
        if set_name in STYLE_SETS:
            continue
        for row in rows:
            pic = Picture(f"icon:{set_name}/{row['id']}", set_name, row["id"], row["en"],
                          tuple(row["tags"]), row["zh"], tuple(row["zh_tags"]),
                          GROUPS.get(row.get("group"), "object"), tuple(row.get("soft", ())),
                          tuple(row.get("assoc", ())), tuple(row.get("soft_name", ())))
            out.append(pic)
            by_id.setdefault(set_name, {})[pic.id] = pic
    for style, base in STYLE_SETS.items():
        for ident in index.get(style, ()):
            src = by_id.get(base, {}).get(ident)
            if src is not None:
                out.append(Picture(f"icon:{style}/{ident}", style, ident, src.name_en, src.tags_en,
                                   src.name_zh, src.tags_zh, src.kind, src.soft_en,
                                   src.assoc_en, src.soft_name))
    return out


@cache
def library() -> Library:
    """The bundled picture library (loaded once per process)."""
    try:
        index = json.loads((DATA / "pictures.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MediaError("The bundled picture library is missing or damaged; reinstall reelterm.") from exc
    return Library(_pictures(index), DATA / "pictures.zip")


@cache
def word_kinds() -> dict[str, str]:
    """Everyday English nouns -> the ref of the picture drawing their kind ("hostel" -> hotel).

    Built from WordNet by scripts/build_visuals.py; empty when the file is missing.
    """
    try:
        data = json.loads((DATA / "kinds.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {word: f"icon:fluent/{ident}" for word, ident in data.items()}


@cache
def not_nouns() -> frozenset[str]:
    """English words used more as verbs or adjectives than as nouns (WordNet's tagged texts)."""
    try:
        return frozenset((DATA / "not_nouns.txt").read_text(encoding="utf-8").split())
    except OSError:
        return frozenset()
