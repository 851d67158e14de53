"""Which visuals each scene gets: the user's uploads first (by file name, else in order), then library
pictures where one fits, else motifs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reelterm.engine.planner.product import thing_asks
from reelterm.engine.planner.scene_kinds import MOTIFS, classify, picture_list, picture_refs


@dataclass(frozen=True)
class Visual:
    """An uploaded picture or clip a scene may show: `src` (`upload:ID`), kind, length if a clip."""

    src: str
    kind: str
    duration_ms: int | None = None
    name: str = ""



def assign_media(sentences: Sequence[str], visuals: Sequence[Visual]) -> list[Visual | None]:
    """The user's pictures and clips for the scenes: a file named after a word of one sentence goes
    there ("scale.jpg" -> the sentence about the scale); the others fill the rest in upload order."""
    out: list[Visual | None] = [None] * len(sentences)
    rest: list[Visual] = []
    for v in visuals:
        words = {w for w in re.split(r"[^a-z\u4e00-\u9fff]+", v.name.lower().rsplit(".", 1)[0])
                 if len(w) >= 3 and w not in _GENERIC_NAMES}
        scores = [(sum(1 for w in words if re.search(rf"(?<![a-z]){re.escape(w)}", s.lower())), -i)
                  for i, s in enumerate(sentences) if out[i] is None]
        best = max(scores, default=(0, 0))
        if best[0] > 0:
            out[-best[1]] = v
        else:
            rest.append(v)
    free = [i for i, v in enumerate(out) if v is None]
    for i, v in zip(free, rest, strict=False):
        out[i] = v
    return out


_GENERIC_NAMES = {"img", "image", "photo", "pic", "picture", "dsc", "screenshot", "video", "clip", "mov", "vid",
                  "final", "copy", "edit", "untitled", "file", "upload", "scan", "whatsapp", "pxl"}


def scene_looks(chosen: Sequence[str], media: Sequence[Visual | None], title: str, tagline: str,
                name: str, thing: str = "") -> list[tuple[str, ...]]:
    """Pictures for the title card and each scene: library pictures where one fits, else a motif;
    none where the user's own media fills the scene. Index 0 is the title card's: the picture of
    what the product is (`thing`, "smart coffee scale") when one fits, else of its tagline."""
    names = (name,) if name else ()
    kinds = [classify(s) for s in chosen]
    first = next((ask for ask in thing_asks(thing) if picture_refs([ask], names)[0]), tagline or title)
    asks = [first] + [s for s in chosen]
    single = picture_refs(asks, names)
    used = [r for r in single if r]
    out: list[tuple[str, ...]] = [(single[0] or "motif:rings",)]
    for i, sentence in enumerate(chosen):
        if media[i] is not None:
            out.append(())
            continue
        kind = kinds[i]
        if kind.layout == "quote":
            out.append(("motif:quote",))
            continue
        if kind.layout == "list":
            many = picture_list(sentence, len(kind.items), names, avoid=used)
            if len(many) >= 2:
                used += many
                out.append(tuple(many[:3]))
                continue
        ref = single[i + 1]
        if kind.layout == "number" and not ref:
            out.append(())
            continue
        out.append((ref or f"motif:{MOTIFS[(i + 1) % len(MOTIFS)]}",))
    return out
